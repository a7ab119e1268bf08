// Registering and revoking client systems, and ending provider sessions on platform logout.
import { randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import { inTransaction, type Db, type Queryable } from '../../platform/db/database.ts';
import { sm4Seal } from '../../platform/crypto/sm4.ts';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.ts';
import type { RealNameLevel } from '../../platform/http/access.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { dropClientState, findClient, insertClient, linkedSessions, revokeClient, unlinkSession } from './store.ts';

export interface NewClientInput {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string | null;
  minLevel: RealNameLevel;
  regionCode: string;
  /** false: a public client (a browser or mobile app) that proves itself with PKCE only. */
  confidential?: boolean;
  /** Another node of the federation: may receive the full ID number (scope `federation`). */
  federation?: boolean;
}

/** https:// anywhere, or http:// only on this machine (development), no fragments. */
export function checkClientUri(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  const local = u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1');
  if ((u.protocol !== 'https:' && !local) || u.hash || u.username || u.password) return null;
  return u.href;
}

function validUris(list: string[], field: string, errors: FieldError[]): string[] {
  const out: string[] = [];
  for (const raw of list.map((s) => s.trim()).filter(Boolean)) {
    const ok = checkClientUri(raw);
    if (ok) out.push(ok);
    else errors.push({ field, message: `地址“${raw.slice(0, 80)}”无效：须以 https:// 开头（本机开发可用 http://localhost）` });
  }
  return out;
}

export async function createClient(db: Db, dataKey: Buffer, actor: AuditActor, input: NewClientInput, requestId?: string) {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (!name || name.length > 100) errors.push({ field: 'name', message: '请填写业务系统名称（100 字以内）' });
  const redirectUris = validUris(input.redirectUris, 'redirectUris', errors);
  if (redirectUris.length === 0 && !errors.some((e) => e.field === 'redirectUris')) errors.push({ field: 'redirectUris', message: '请至少填写一个回调地址' });
  // One host per client: its pairwise sector, so the same person keeps one sub in it.
  const hosts = new Set(redirectUris.map((u) => new URL(u).host));
  if (hosts.size > 1) errors.push({ field: 'redirectUris', message: '回调地址须在同一主机下；不同主机请分别登记' });
  const postLogout = validUris(input.postLogoutRedirectUris ?? [], 'postLogoutRedirectUris', errors);
  const backchannel = input.backchannelLogoutUri?.trim() ? validUris([input.backchannelLogoutUri], 'backchannelLogoutUri', errors)[0] ?? null : null;
  if (![1, 2, 3, 4, 5].includes(input.minLevel)) errors.push({ field: 'minLevel', message: '请选择最低实名认证等级' });
  if (errors.length) throw new AppError('SSO_CLIENT_INVALID', { errors });
  const clientId = `yw-${randomBytes(9).toString('base64url')}`;
  const secret = input.confidential === false ? null : randomBytes(32).toString('base64url');
  await inTransaction(db, async (tx) => {
    await insertClient(tx, {
      clientId,
      name,
      redirectUris,
      postLogoutRedirectUris: postLogout,
      backchannelLogoutUri: backchannel,
      // oidc-provider compares the secret itself, so it is kept sealed rather than hashed.
      secretSealed: secret ? sm4Seal(dataKey, secret, `sso_client:${clientId}`).toString('base64') : null,
      minLevel: input.minLevel,
      sector: [...hosts][0]!,
      regionCode: input.regionCode,
      createdBy: actor.kind === 'staff' ? actor.accountId : null,
      federation: input.federation === true,
    });
    await recordAudit(tx, { actor, action: 'sso.client.create', targetType: 'sso_client', targetId: clientId, regionCode: input.regionCode, change: { name, redirectUris, minLevel: input.minLevel, backchannel, federation: input.federation === true }, requestId });
  });
  return { clientId, secret };
}

export async function revokeSsoClient(db: Db, actor: AuditActor, clientId: string, requestId?: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const client = await findClient(tx, clientId);
    if (!client) throw new AppError('SSO_CLIENT_NOT_FOUND');
    if (!(await revokeClient(tx, clientId))) return;
    await dropClientState(tx, clientId);
    await recordAudit(tx, { actor, action: 'sso.client.revoke', targetType: 'sso_client', targetId: clientId, regionCode: client.regionCode, change: { name: client.name }, requestId });
  });
}

export const DEMO_CLIENT_NAME = '江苏省公积金业务系统（演示）';

/**
 * The demo business system (served by the platform itself under /demo-rp/). Idempotent:
 * returns the existing registration when there is one.
 */
export async function ensureDemoSsoClient(db: Db, dataKey: Buffer, publicUrl: string, regionCode = '320000'): Promise<{ clientId: string }> {
  const existing = await db.selectFrom('sso_client').select('client_id').where('name', '=', DEMO_CLIENT_NAME).where('revoked_at', 'is', null).executeTakeFirst();
  if (existing) return { clientId: existing.client_id };
  const base = publicUrl.replace(/\/$/, '');
  const { clientId } = await createClient(db, dataKey, { kind: 'system', id: 'demo' }, {
    name: DEMO_CLIENT_NAME,
    redirectUris: [`${base}/demo-rp/callback`],
    postLogoutRedirectUris: [`${base}/demo-rp/`],
    backchannelLogoutUri: `${base}/demo-rp/backchannel`,
    minLevel: 2,
    regionCode,
    confidential: false,
  });
  return { clientId };
}

/**
 * The platform session `platformSessionId` ended: end every provider session signed in
 * through it and tell each client that had a grant in it (back-channel logout). A client
 * that does not answer is logged, not retried: the session is gone either way.
 */
export async function endLinkedSessions(db: Queryable, provider: Provider, platformSessionId: string, log: { warn(o: object, m: string): void }): Promise<number> {
  let ended = 0;
  for (const uid of await linkedSessions(db, platformSessionId)) {
    const session = await provider.Session.findByUid(uid);
    if (session?.accountId) {
      for (const clientId of Object.keys(session.authorizations ?? {})) {
        const client = await provider.Client.find(clientId);
        if (!client?.backchannelLogoutUri) continue;
        await client.backchannelLogout(session.accountId, session.sidFor(clientId)).catch((err: unknown) => log.warn({ err, clientId }, 'back-channel logout not delivered'));
      }
      await session.destroy();
      ended++;
    }
    await unlinkSession(db, uid);
  }
  return ended;
}
