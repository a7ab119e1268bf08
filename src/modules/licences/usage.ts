// 证照使用记录: every read, share, verification and export of a licence is one licence_use row
// (migration 0027), written on the same handle as the work it records, so a use that did not
// happen is never logged and one that happened always is. The holder sees them in the wallet.
import type { Generated, Selectable } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { AuditActor } from '../../platform/audit/audit.ts';

export type UseKind = 'holder_view' | 'download' | 'shared_view' | 'legal_basis_view' | 'material' | 'verify_online' | 'verify_pdf' | 'verify_qr' | 'import';

declare module '../../platform/db/database.ts' {
  interface Database {
    licence_use: {
      id: Generated<number>;
      licence_id: string;
      identifier: string;
      kind: UseKind;
      actor_kind: string;
      actor_id: string;
      actor_label: string;
      org_id: string | null;
      consent_id: string | null;
      purpose: string | null;
      outcome: Generated<string>;
      region_code: string;
      created_at: Generated<Date>;
    };
  }
}

export type UseRow = Selectable<import('../../platform/db/database.ts').Database['licence_use']>;

/** Who used it, as the holder will read it: anonymous verification is 'public' / 公众查验. */
export function useActor(actor: AuditActor | null): { kind: string; id: string; label: string; orgId: string | null } {
  if (!actor || actor.kind === 'anonymous') return { kind: 'public', id: 'public', label: '公众查验', orgId: null };
  if (actor.kind === 'system') return { kind: 'system', id: actor.id, label: '系统', orgId: null };
  if (actor.kind === 'client') return { kind: 'client', id: actor.clientId, label: actor.displayName, orgId: null };
  if (actor.kind === 'staff') return { kind: 'staff', id: actor.accountId, label: actor.displayName, orgId: actor.orgId };
  return { kind: actor.kind, id: actor.accountId, label: actor.kind === 'company' ? actor.displayName : '持证人本人', orgId: null };
}

export interface NewUse {
  licenceId: string;
  identifier: string;
  kind: UseKind;
  actor: AuditActor | null;
  regionCode: string;
  consentId?: string | null;
  purpose?: string | null;
  outcome?: string;
}

export async function recordUse(db: Queryable, use: NewUse): Promise<void> {
  const who = useActor(use.actor);
  await db.insertInto('licence_use').values({
    licence_id: use.licenceId, identifier: use.identifier, kind: use.kind, actor_kind: who.kind, actor_id: who.id, actor_label: who.label.slice(0, 100),
    org_id: who.orgId, consent_id: use.consentId ?? null, purpose: use.purpose?.slice(0, 500) ?? null, outcome: use.outcome ?? 'ok', region_code: use.regionCode,
  }).execute();
}

/** Newest first; `before` pages by id. */
export async function listUses(db: Queryable, licenceId: string, limit = 50, before?: number): Promise<UseRow[]> {
  let q = db.selectFrom('licence_use').selectAll().where('licence_id', '=', licenceId);
  if (before) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}
