// `npm run cli -- audit:verify` as an operator runs it, against the database the
// configuration names: exit 0 when the chain is intact, 1 and the broken record otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { availableBackends } from '../../../test/support/backends.ts';
import { cliTarget, tamperWithAudit } from '../../../test/support/cli-target.ts';
import { recordAudit } from './audit.ts';

const record = (i: number) => ({ actor: { kind: 'system' as const, id: 'cli-test' }, action: 'test.cli', targetType: 'thing', targetId: `t-${i}`, change: { i } });

for (const backend of availableBackends()) {
  test(`audit:verify exits 0 on an intact chain, 1 naming the edited record or the cut head [${backend.name}]`, async () => {
    const target = await cliTarget(backend);
    try {
      const ids = await target.use(async (db) => {
        for (let i = 1; i <= 4; i++) await recordAudit(db, record(i));
        return (await db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => Number(r.id));
      });
      const intact = await target.cli('audit:verify');
      assert.equal(intact.code, 0, intact.output);
      assert.match(intact.output, new RegExp(`审计链完整：${ids.length} 条记录`));

      const edited = ids[1]!;
      await target.use((db) => tamperWithAudit(db, sql`update audit_log set target_id = 'forged' where id = ${edited}`));
      const broken = await target.cli('audit:verify');
      assert.equal(broken.code, 1, broken.output);
      assert.match(broken.output, new RegExp(`审计链断裂：已验证 1 条；断点记录 ${edited}；`));

      // Undo the edit, then cut the newest record: only the head still knows it existed.
      const last = ids.at(-1)!;
      await target.use(async (db) => {
        await tamperWithAudit(db, sql`update audit_log set target_id = 't-2' where id = ${edited}`);
        await tamperWithAudit(db, sql`delete from audit_log where id = ${last}`);
      });
      const cut = await target.cli('audit:verify');
      assert.equal(cut.code, 1, cut.output);
      assert.match(cut.output, new RegExp(`已验证 ${ids.length - 1} 条；断点记录 ${last}；链头指向记录 ${last}`));
    } finally {
      await target.close();
    }
  });
}
