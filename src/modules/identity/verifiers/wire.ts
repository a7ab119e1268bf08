// The signed-message protocol now lives with the other outside-system plumbing in
// src/platform/external/wire.ts (the courier adapter speaks it too); re-exported here so the
// verifiers keep their import.
export * from '../../../platform/external/wire.ts';
