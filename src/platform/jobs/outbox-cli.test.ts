// `npm run cli -- outbox:retry <id>` as an operator runs it: a dead-lettered event goes
// back to the queue; anything else is refused with exit code 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { availableBackends } from '../../../test/support/backends.ts';
import { cliTarget } from '../../../test/support/cli-target.ts';
import { emitEvent } from './outbox.ts';

for (const backend of availableBackends()) {
  test(`outbox:retry requeues a dead event and refuses others [${backend.name}]`, async () => {
    const target = await cliTarget(backend);
    try {
      const [dead, pending] = await target.use(async (db) => {
        await emitEvent(db, { topic: 'cli.test', payload: {}, idempotencyKey: 'cli-dead' });
        await emitEvent(db, { topic: 'cli.test', payload: {}, idempotencyKey: 'cli-pending' });
        await sql`update outbox_event set status = 'dead', attempts = 8, last_error = 'gave up' where idempotency_key = 'cli-dead'`.execute(db);
        const rows = await db.selectFrom('outbox_event').select('id').orderBy('id').execute();
        return rows.map((r) => Number(r.id));
      });
      const ok = await target.cli('outbox:retry', String(dead));
      assert.deepEqual(ok, { code: 0, output: `事件 ${dead} 已重新排队` });
      const row = await target.use((db) => db.selectFrom('outbox_event').selectAll().where('id', '=', dead!).executeTakeFirstOrThrow());
      assert.deepEqual([row.status, row.attempts], ['pending', 0]);

      assert.deepEqual(await target.cli('outbox:retry', String(pending)), { code: 1, output: `事件 ${pending} 不存在或不在死信状态` });
      assert.deepEqual(await target.cli('outbox:retry', 'abc'), { code: 2, output: '用法: npm run cli -- outbox:retry <事件编号>' });
    } finally {
      await target.close();
    }
  });
}
