// The receiving side of the licence catalogue push (docs/licences-national.md): the latest
// definition of each type per sending node, and the national view of them (三级四同: the
// same type code must mean the same definition on every node; differences are flagged).
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { definitionSm3, type LicenceTypeMessage } from './national-push.ts';
import * as national from './national-store.ts';
import * as store from './store.ts';

const CODE = /^[0-9A-Z]{18}[0-9]{3}$/;
const KEY = /^[a-z][a-z0-9_]{1,40}$/;

/** Null unless the body is a well-formed message from `sender` whose hash matches its definition. */
export function parseLicenceTypeMessage(body: unknown, sender: string): LicenceTypeMessage | null {
  const b = body as Partial<LicenceTypeMessage> | null;
  if (!b || typeof b !== 'object' || b.node !== sender) return null;
  if (typeof b.code !== 'string' || !CODE.test(b.code) || typeof b.key !== 'string' || !KEY.test(b.key)) return null;
  if (typeof b.name !== 'string' || b.name.length < 1 || b.name.length > 100) return null;
  const d = b.definition;
  if (!d || typeof d !== 'object' || Array.isArray(d)) return null;
  // The definition must describe the type it is filed under.
  if (d.code !== b.code || d.key !== b.key || d.name !== b.name) return null;
  if (typeof b.sm3 !== 'string' || b.sm3 !== definitionSm3(d)) return null;
  if (typeof b.changedAt !== 'string' || Number.isNaN(Date.parse(b.changedAt))) return null;
  return { node: b.node, code: b.code, key: b.key, name: b.name, definition: d, sm3: b.sm3, changedAt: b.changedAt };
}

export type ReceiveOutcome = 'created' | 'updated' | 'duplicate' | 'stale';

/**
 * Stores a verified definition: the same content again changes nothing (a redelivery); a
 * different one replaces the stored one only if it was changed later at the sender (an
 * older event delivered late after a retry must not undo a newer one). Both new rows and
 * replacements are audited, in the caller's transaction.
 */
export async function receiveLicenceType(tx: Queryable, msg: LicenceTypeMessage): Promise<ReceiveOutcome> {
  const current = await national.findNationalType(tx, msg.node, msg.code, true);
  if (current?.content_sm3 === msg.sm3) return 'duplicate';
  const changedAt = new Date(msg.changedAt);
  if (current && current.changed_at.getTime() >= changedAt.getTime()) return 'stale';
  const row = { node: msg.node, code: msg.code, key: msg.key, name: msg.name, definition: msg.definition, content_sm3: msg.sm3, changed_at: changedAt };
  if (current) await national.replaceNationalType(tx, row);
  else await national.insertNationalType(tx, row);
  await recordAudit(tx, {
    actor: { kind: 'system', id: `federation:${msg.node}` },
    action: current ? 'licence.national_type.update' : 'licence.national_type.receive',
    targetType: 'national_licence_type',
    targetId: `${msg.node}:${msg.code}`,
    change: { key: msg.key, name: msg.name, sm3: msg.sm3, changedAt: msg.changedAt, ...(current ? { previousSm3: current.content_sm3 } : {}) },
  });
  return current ? 'updated' : 'created';
}

export interface NodeUse {
  node: string;
  /** This node's own catalogue rather than a push. */
  own: boolean;
  /** When the sending node changed it; null for this node's own catalogue. */
  changedAt: string | null;
  receivedAt: string | null;
}

export interface NationalTypeView {
  code: string;
  key: string;
  name: string;
  /** False when nodes hold different definitions under this code. */
  consistent: boolean;
  versions: { sm3: string; key: string; name: string; definition: unknown; nodes: NodeUse[] }[];
}

/**
 * Every type code known here, with which node uses which definition. This node's own
 * catalogue counts as one of the nodes, so the national reference takes part in the check.
 */
export async function nationalCatalogue(db: Queryable, ownNode: string): Promise<NationalTypeView[]> {
  const own = await store.typeRows(db);
  const rows: { node: string; own: boolean; code: string; key: string; name: string; definition: unknown; sm3: string; changedAt: Date | null; receivedAt: Date | null }[] = [];
  for (const r of own) {
    const d = r.definition as { key?: string; name?: string };
    rows.push({ node: ownNode, own: true, code: r.code, key: String(d.key ?? ''), name: String(d.name ?? ''), definition: r.definition, sm3: definitionSm3(r.definition), changedAt: null, receivedAt: null });
  }
  for (const r of await national.listNationalTypes(db)) {
    if (r.node === ownNode) continue;
    rows.push({ node: r.node, own: false, code: r.code, key: r.key, name: r.name, definition: r.definition, sm3: r.content_sm3, changedAt: r.changed_at, receivedAt: r.received_at });
  }
  const byCode = new Map<string, NationalTypeView>();
  for (const r of rows) {
    let view = byCode.get(r.code);
    if (!view) byCode.set(r.code, (view = { code: r.code, key: r.key, name: r.name, consistent: true, versions: [] }));
    let version = view.versions.find((v) => v.sm3 === r.sm3);
    if (!version) view.versions.push((version = { sm3: r.sm3, key: r.key, name: r.name, definition: r.definition, nodes: [] }));
    version.nodes.push({ node: r.node, own: r.own, changedAt: r.changedAt?.toISOString() ?? null, receivedAt: r.receivedAt?.toISOString() ?? null });
  }
  const views = [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
  for (const v of views) {
    v.consistent = v.versions.length === 1;
    // The most widely used definition first: the others are the ones to look at.
    v.versions.sort((a, b) => b.nodes.length - a.nodes.length || a.sm3.localeCompare(b.sm3));
  }
  return views;
}
