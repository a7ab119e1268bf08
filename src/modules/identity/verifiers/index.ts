// The identity module's adapters to external verification services. Which implementation
// answers — the real upstream or the local simulators — is configuration (docs/simulators.md).
export * from './types.ts';
export { createHttpVerifiers, DEFAULT_VERIFIER_TIMEOUT_MS, type HttpVerifiersOptions, type UpstreamOverride } from './http-verifiers.ts';
export { DEFAULT_ASSERTION_MAX_AGE_MS } from './business-licence.ts';
export { unavailableVerifiers } from './unavailable.ts';
