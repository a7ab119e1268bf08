// The audit trail on both backends: the chain links correctly, survives concurrent
// appends, and names the exact record when a row is edited, deleted or cut from the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachBackend } from '../../../test/support/backends.ts';
import { tamperWithAudit } from '../../../test/support/cli-target.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { sm3Hex } from '../crypto/sm3.ts';
import { GENESIS_HASH, canonicalJson, linkHash, recordAudit, verifyAuditChain, type AuditEntry } from './audit.ts';

test('canonicalJson does not depend on key order, at any depth', () => {
  const a = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: '中文' }, u: undefined };
  const b = { a: { c: '中文', d: [1, { x: 1, y: 2 }] }, b: 1 };
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(canonicalJson(a), '{"a":{"c":"中文","d":[1,{"x":1,"y":2}]},"b":1}');
  assert.notEqual(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }), 'array order matters');
  assert.equal(canonicalJson({ at: new Date('2024-05-01T08:00:00Z') }), '{"at":"2024-05-01T08:00:00.000Z"}');
  assert.equal(canonicalJson([undefined, () => 1]), '[null,null]', 'like JSON.stringify');
  assert.equal(canonicalJson({ f: () => 1, n: null }), '{"n":null}');
  assert.equal(canonicalJson(undefined), 'null');
  // Whatever the value, the canonical form is itself JSON and round-trips.
  const value = { z: [{ q: 'x"y', p: 1.5 }], a: true };
  assert.deepEqual(JSON.parse(canonicalJson(value)), value);
});

const entry = (i: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: { kind: 'system', id: 'test' },
  action: 'test.record',
  targetType: 'thing',
  targetId: `t-${i}`,
  regionCode: '320100',
  change: { i, note: `记录 ${i}` },
  requestId: `req-${i}`,
  ...extra,
});

async function ids(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('audit_log').select('id').orderBy('id').execute();
  return rows.map((r) => Number(r.id));
}

/** Empties the chain (past its guards) and appends `n` records, so each tampering test starts intact. */
async function freshChain(db: Db, n: number): Promise<number[]> {
  await tamper(db, sql`truncate audit_log`);
  await tamper(db, sql`update audit_head set last_id = 0, last_hash = ${GENESIS_HASH}`);
  for (let i = 1; i <= n; i++) await recordAudit(db, entry(i));
  return ids(db);
}

async function withChain(db: Db, n: number, body: (ids: number[]) => Promise<void>): Promise<void> {
  await body(await freshChain(db, n));
}

const tamper = tamperWithAudit;

describeEachBackend('audit trail', (getDb) => {
  test('each record links to its predecessor, and the head to the newest', async () => {
    const { db } = getDb();
    const before = (await ids(db)).length;
    const first = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    for (let i = 1; i <= 5; i++) await recordAudit(db, entry(i, i === 3 ? { actor: { kind: 'anonymous' }, targetId: null, regionCode: null, requestId: null } : {}));
    const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    assert.equal(rows.length, before + 5);
    let prev = before === 0 ? GENESIS_HASH : first.last_hash;
    for (const row of rows.slice(before)) {
      assert.equal(row.prev_hash, prev, `record ${row.id} names its predecessor`);
      assert.equal(row.hash, linkHash(row));
      assert.match(row.hash, /^[0-9a-f]{64}$/);
      prev = row.hash;
    }
    const third = rows[before + 2]!;
    assert.equal(third.actor_kind, 'anonymous');
    assert.equal(third.actor_id, null);
    assert.equal(third.change_digest, sm3Hex(canonicalJson({ note: '记录 3', i: 3 })), 'only the digest of the change is kept');
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    assert.equal(Number(head.last_id), Number(rows.at(-1)!.id));
    assert.equal(head.last_hash, prev);
    assert.deepEqual(await verifyAuditChain(db), { ok: true, records: rows.length, lastHash: prev });
  });

  test('a record written in a rolled-back transaction leaves no trace and no gap in the chain', async () => {
    const { db } = getDb();
    const before = (await ids(db)).length;
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await recordAudit(tx, entry(100));
        throw new Error('business rule failed');
      }),
      /business rule failed/,
    );
    await recordAudit(db, entry(101));
    assert.equal((await ids(db)).length, before + 1);
    const report = await verifyAuditChain(db);
    assert.ok(report.ok, JSON.stringify(report));
  });

  test('UPDATE and DELETE on audit_log are refused', async () => {
    const { db } = getDb();
    await recordAudit(db, entry(200));
    const [id] = (await ids(db)).slice(-1);
    await assert.rejects(sql`update audit_log set action = 'forged' where id = ${id}`.execute(db), /append-only/);
    await assert.rejects(sql`delete from audit_log where id = ${id}`.execute(db), /append-only/);
    const row = await db.selectFrom('audit_log').select('action').where('id', '=', id!).executeTakeFirstOrThrow();
    assert.equal(row.action, 'test.record');
    assert.ok((await verifyAuditChain(db)).ok);
  });

  test('50 appends from parallel transactions form one unbroken chain, verifiable while they run', async () => {
    const { db, url } = getDb();
    const before = (await ids(db)).length;
    // On the server the verifier has its own connections, so it really runs between appends.
    const verifier = url ? await openDatabase({ databaseUrl: url, dataDir: 'unused', poolSize: 1 }) : null;
    let writing = true;
    const appends = Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.transaction().execute(async (tx) => {
          await sql`select pg_sleep(${(i % 5) / 1000})`.execute(tx); // other work in the same transaction
          await recordAudit(tx, entry(300 + i));
        }),
      ),
    ).finally(() => {
      writing = false;
    });
    // A verification racing the appends must see a consistent snapshot, never a false break.
    const reports = [];
    try {
      do reports.push(await verifyAuditChain(verifier?.db ?? db));
      while (writing);
      await appends;
    } finally {
      await verifier?.close();
    }
    for (const r of reports) assert.ok(r.ok, `verification during appends: ${JSON.stringify(r)}`);
    const final = await verifyAuditChain(db);
    assert.ok(final.ok, JSON.stringify(final));
    assert.equal(final.records, before + 50);
    const targets = await db.selectFrom('audit_log').select('target_id').where('action', '=', 'test.record').execute();
    for (let i = 0; i < 50; i++) assert.ok(targets.some((t) => t.target_id === `t-${300 + i}`), `append ${i} is in the chain`);
  });

  test('an edited record is reported by its id', async () => {
    const { db } = getDb();
    await withChain(db, 5, async ([, , third]) => {
      await tamper(db, sql`update audit_log set actor_id = 'someone-else' where id = ${third}`);
      const report = await verifyAuditChain(db);
      assert.deepEqual({ ok: report.ok, brokenAt: report.ok ? null : report.brokenAt, records: report.records }, { ok: false, brokenAt: third, records: 2 });
      assert.match(report.ok ? '' : report.reason, /篡改/);
    });
  });

  test('an edit that recomputes the record’s own hash breaks the next link instead', async () => {
    const { db } = getDb();
    await withChain(db, 5, async ([, second, third]) => {
      const row = await db.selectFrom('audit_log').selectAll().where('id', '=', second!).executeTakeFirstOrThrow();
      const forged = linkHash({ ...row, action: 'test.forged' });
      await tamper(db, sql`update audit_log set action = 'test.forged', hash = ${forged} where id = ${second}`);
      const report = await verifyAuditChain(db);
      assert.equal(report.ok, false);
      assert.equal(!report.ok && report.brokenAt, third);
    });
  });

  test('moving text between fields, or a null to an empty string, breaks the link', async () => {
    const { db } = getDb();
    await withChain(db, 2, async () => {
      // A target id holding a newline: a newline-joined encoding could not tell
      // `target_id = "t\n320100", region = null` from `target_id = "t", region = "320100"`.
      await recordAudit(db, entry(9, { targetId: 't\n320100', regionCode: null, requestId: null }));
      const [last] = (await ids(db)).slice(-1);
      await tamper(db, sql`update audit_log set target_id = ${'t'}, region_code = ${'320100'} where id = ${last}`);
      let report = await verifyAuditChain(db);
      assert.equal(!report.ok && report.brokenAt, last);
      await tamper(db, sql`update audit_log set target_id = ${'t\n320100'}, region_code = null where id = ${last}`);
      assert.ok((await verifyAuditChain(db)).ok, 'restored');
      await tamper(db, sql`update audit_log set request_id = '' where id = ${last}`);
      report = await verifyAuditChain(db);
      assert.equal(!report.ok && report.brokenAt, last);
    });
  });

  test('a deleted middle record breaks the link of the record after it', async () => {
    const { db } = getDb();
    await withChain(db, 5, async ([, second, third, fourth]) => {
      await tamper(db, sql`delete from audit_log where id = ${third}`);
      const report = await verifyAuditChain(db);
      assert.equal(report.ok, false);
      assert.equal(!report.ok && report.brokenAt, fourth);
      assert.match(!report.ok ? report.reason : '', new RegExp(`记录 ${fourth} .*${second}.*删除`));
    });
  });

  test('deleting the newest records shows as a head mismatch naming the head record', async () => {
    const { db } = getDb();
    await withChain(db, 5, async ([, , third, fourth, fifth]) => {
      await tamper(db, sql`delete from audit_log where id >= ${fourth}`);
      const report = await verifyAuditChain(db);
      assert.equal(report.ok, false);
      assert.equal(!report.ok && report.brokenAt, fifth);
      assert.equal(report.records, 3, 'the first three still verify');
      assert.match(!report.ok ? report.reason : '', new RegExp(`链头指向记录 ${fifth}.*${third}`));
    });
  });

  test('truncating the log, rewinding or deleting the head are refused while the guards stand', async () => {
    const { db } = getDb();
    await freshChain(db, 2);
    await assert.rejects(sql`truncate audit_log`.execute(db), /append-only/);
    await assert.rejects(sql`update audit_head set last_id = 0, last_hash = ${GENESIS_HASH}`.execute(db), /only moves forward/);
    await assert.rejects(sql`delete from audit_head`.execute(db), /cannot be deleted/);
    await assert.rejects(sql`truncate audit_head`.execute(db), /append-only/);
    assert.equal((await verifyAuditChain(db)).ok, true);
  });

  test('an empty chain verifies; a missing head or a truncated log does not', async () => {
    const { db } = getDb();
    await freshChain(db, 0);
    assert.deepEqual(await verifyAuditChain(db), { ok: true, records: 0, lastHash: GENESIS_HASH });
    await tamper(db, sql`delete from audit_head`);
    assert.equal((await verifyAuditChain(db)).ok, false);
    await sql`insert into audit_head (chain, last_id, last_hash) values ('main', 0, ${GENESIS_HASH})`.execute(db);
    const [, , third] = await freshChain(db, 3);
    await tamper(db, sql`truncate audit_log`);
    const report = await verifyAuditChain(db);
    assert.equal(!report.ok && report.brokenAt, third);
  });
});
