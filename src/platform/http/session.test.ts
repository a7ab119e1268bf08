// Session sliding: last_seen_at is written at most once a minute, idle and expired
// sessions are refused, and other sessions of an account can be ended together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachBackend } from '../../../test/support/backends.ts';
import { createSession, destroyOtherSessions, touchSession } from './session.ts';

describeEachBackend('web sessions', (getDb) => {
  const db = () => getDb().db;
  const lastSeen = async (id: string) => (await db().selectFrom('web_session').select('last_seen_at').where('id', '=', id).executeTakeFirstOrThrow()).last_seen_at.getTime();
  const seenAgo = (id: string, seconds: number) => sql`update web_session set last_seen_at = now() - make_interval(secs => ${seconds}) where id = ${id}`.execute(db());

  test('a recently seen session is not rewritten on every request', async () => {
    const s = await createSession(db(), { accountKind: 'staff', accountId: '00000000-0000-0000-0000-000000000001' });
    await seenAgo(s.id, 10);
    const before = await lastSeen(s.id);
    assert.equal((await touchSession(db(), s.token))?.id, s.id);
    assert.equal(await lastSeen(s.id), before, 'seen 10 s ago: left alone');
    await seenAgo(s.id, 120);
    const stale = await lastSeen(s.id);
    assert.equal((await touchSession(db(), s.token))?.id, s.id);
    assert.ok((await lastSeen(s.id)) > stale + 100_000, 'seen 2 minutes ago: slid forward');
  });

  test('idle, expired and unknown sessions are refused', async () => {
    const idle = await createSession(db(), { accountKind: 'staff', accountId: '00000000-0000-0000-0000-000000000002' });
    await seenAgo(idle.id, 31 * 60);
    assert.equal(await touchSession(db(), idle.token), null);
    const expired = await createSession(db(), { accountKind: 'staff', accountId: '00000000-0000-0000-0000-000000000002' });
    await sql`update web_session set expires_at = now() - interval '1 second' where id = ${expired.id}`.execute(db());
    assert.equal(await touchSession(db(), expired.token), null);
    assert.equal(await touchSession(db(), 'no-such-token'), null);
  });

  test('destroyOtherSessions keeps only the given session of the account', async () => {
    const account = '00000000-0000-0000-0000-000000000003';
    const keep = await createSession(db(), { accountKind: 'staff', accountId: account });
    const other = await createSession(db(), { accountKind: 'staff', accountId: account });
    const stranger = await createSession(db(), { accountKind: 'staff', accountId: '00000000-0000-0000-0000-000000000004' });
    assert.equal(await destroyOtherSessions(db(), 'staff', account, keep.id), 1);
    assert.ok(await touchSession(db(), keep.token));
    assert.equal(await touchSession(db(), other.token), null);
    assert.ok(await touchSession(db(), stranger.token));
  });
});
