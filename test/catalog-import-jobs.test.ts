// Large imports run as background jobs: the job row and its first event are written
// together, the outbox worker checks the rows chunk by chunk (progress visible on the page)
// and then writes every row in one transaction, or none; redelivered events do nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'csv-stringify/sync';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, type TestPlatform } from './support/platform.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { catalogModule, type CatalogService } from '../src/modules/catalog/index.ts';
import { OutboxWorker } from '../src/platform/jobs/worker.ts';
import { emitEvent } from '../src/platform/jobs/outbox.ts';
import { inTransaction } from '../src/platform/db/database.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { foodLicenceImplementation, publishedFoodLicence } from './support/catalog-fixtures.ts';

const CHECK_TOPIC = 'catalog.import.check';
const COMMIT_TOPIC = 'catalog.import.commit';
const header = ['实施编码', '承诺时限（工作日）', '完整内容（JSON）'];
const jobIdOf = (loc: unknown) => /\/admin\/catalog\/import\/([0-9a-f-]{36})$/.exec(String(loc))![1]!;

describeEachBackend('catalogue import jobs', (getDb) => {
  let p: TestPlatform;
  let catalog: CatalogService;
  let worker: OutboxWorker;
  let basicId: string;
  let njOrg: string;
  let editor: Browser;

  /** The job row as the progress page reads it. */
  async function findImportJob(_db: unknown, id: string) {
    const r = await getDb().db.selectFrom('catalog_import_job').select(['status', 'rows_processed', 'report', 'result']).where('id', '=', id).executeTakeFirstOrThrow();
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    return { status: r.status, rowsProcessed: Number(r.rows_processed), report: json(r.report) as { row: number; field: string }[], result: json(r.result) as { created: number } | null };
  }

  const good = (i: number) => ['', '', JSON.stringify(foodLicenceImplementation(basicId, '320100', njOrg, { place: { address: `导入测试地址 ${i}`, hours: '工作日' } }))];
  const count = async () => (await catalog.list({ kind: 'implementation', regionPrefix: '3201' }, 'working', 100_000)).length;
  async function startImport(csv: string) {
    const page = await editor.get('/admin/catalog/import');
    const res = await editor.submit('/admin/catalog/import', { csv }, Browser.csrfFrom(page.body));
    assert.equal(res.statusCode, 303, res.body);
    return jobIdOf(res.headers.location);
  }
  /** Runs the worker until no event is left, recording rows_processed after every pass. */
  async function drain(jobId: string): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < 200; i++) {
      const claimed = await worker.runOnce();
      seen.push((await findImportJob(getDb().db, jobId))!.rowsProcessed);
      if (claimed === 0) return seen;
    }
    throw new Error('worker did not finish');
  }

  before(async () => {
    const db = getDb();
    p = await buildTestPlatform(db);
    ({ catalog, basicId, njOrg } = await publishedFoodLicence(db.db));
    const sys = { kind: 'system' as const, id: 'test' };
    await new StaffService(db.db).createStaff({ loginName: 'nj-importer', displayName: '导入员', password: DEMO_PASSWORD, orgId: null, regionCode: '320100', roles: ['region_admin'], mustChangePassword: false }, sys);
    await new StaffService(db.db).createStaff({ loginName: 'sz-importer', displayName: '苏州导入员', password: DEMO_PASSWORD, orgId: null, regionCode: '320500', roles: ['region_admin'], mustChangePassword: false }, sys);
    editor = new Browser(p.app);
    await editor.login('nj-importer', DEMO_PASSWORD);
    // The handlers the server's worker gets from the module; retries without delay.
    worker = new OutboxWorker(db.db, { pollMs: 10, backoffMs: () => 0 });
    for (const h of catalogModule.handlers!(p.ctx)) worker.register(h);
  });
  after(async () => {
    await p?.app.close();
  });

  test('a 500-row import goes through the job with visible progress and commits every row', async () => {
    const before = await count();
    const jobId = await startImport(stringify([header, ...Array.from({ length: 500 }, (_, i) => good(i))]));
    const queued = await editor.get(`/admin/catalog/import/${jobId}`);
    assert.equal(queued.statusCode, 200);
    assert.match(queued.body, /<progress id="job-progress" value="0" max="500">0%<\/progress>/);
    assert.match(queued.body, /data-progress-url="\/admin\/catalog\/import\/[0-9a-f-]+\/status"/);
    assert.doesNotMatch(queued.body, /http-equiv="refresh"/);
    assert.match(queued.body, /已检查 0 \/ 500 行（0%）/);

    // One pass of the worker checks one chunk; the page shows the step in between.
    await worker.runOnce();
    const mid = await editor.get(`/admin/catalog/import/${jobId}`);
    assert.match(mid.body, /<progress id="job-progress" value="50" max="500">10%<\/progress>/);
    assert.match(mid.body, /已检查 50 \/ 500 行（10%）/);
    assert.equal(await count(), before, 'nothing is written while checking');

    const seen = await drain(jobId);
    assert.ok(seen.every((n, i) => i === 0 || n >= seen[i - 1]!), `progress only increases: ${seen.join()}`);
    assert.ok(seen.filter((n) => n > 50 && n < 500).length >= 3, `intermediate steps: ${seen.join()}`);
    const job = (await findImportJob(p.ctx.db, jobId))!;
    assert.equal(job.status, 'done');
    assert.deepEqual({ ...job.result }, { committed: true, rows: 500, created: 500, updated: 0, unchanged: 0 });
    assert.equal(await count(), before + 500);
    const done = await editor.get(`/admin/catalog/import/${jobId}`);
    assert.match(done.body, /新建草稿 500 项/);
    assert.doesNotMatch(done.body, /http-equiv="refresh"/, 'no refresh once finished');
    const status = await editor.get(`/admin/catalog/import/${jobId}/status`, { accept: 'application/json' });
    assert.equal(status.json().status, 'done');

    // Redelivery: duplicate check and commit events for the finished job import nothing.
    await inTransaction(p.ctx.db, async (tx) => {
      await emitEvent(tx, { topic: COMMIT_TOPIC, payload: { jobId } });
      await emitEvent(tx, { topic: CHECK_TOPIC, payload: { jobId, offset: 0 } });
      await emitEvent(tx, { topic: CHECK_TOPIC, payload: { jobId, offset: 500 } });
    });
    assert.equal(await worker.runOnce(), 3);
    assert.equal(await count(), before + 500, 'redelivered events do not import twice');
    assert.equal((await findImportJob(p.ctx.db, jobId))!.result!.created, 500);
  });

  test('one bad row in a large file commits nothing and is reported by line', async () => {
    const before = await count();
    const rows = Array.from({ length: 260 }, (_, i) => good(1000 + i));
    rows[180] = ['', '', JSON.stringify(foodLicenceImplementation(basicId, '320100', njOrg, { promisedLimitDays: 30, legalLimitDays: 20 }))];
    const jobId = await startImport(stringify([header, ...rows]));
    await drain(jobId);
    const job = (await findImportJob(p.ctx.db, jobId))!;
    assert.equal(job.status, 'failed');
    assert.equal(job.rowsProcessed, 260);
    assert.deepEqual(job.report.map((e) => [e.row, e.field]), [[182, 'promisedLimitDays']]);
    assert.equal(await count(), before, 'nothing committed');
    const page = await editor.get(`/admin/catalog/import/${jobId}`);
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /<td class="numeric">182<\/td><td>promisedLimitDays<\/td><td>承诺时限不能超过法定时限<\/td>/);
    assert.match(page.body, /有 1 处问题，没有导入任何数据/);
  });

  test('a raw upload becomes a job; a commit event delivered twice writes once', async () => {
    const before = await count();
    const page = await editor.get('/admin/catalog/import');
    const res = await p.app.inject({ method: 'POST', url: '/admin/catalog/import', payload: stringify([header, good(2000), good(2001)]), headers: { cookie: editor.cookieHeader, 'content-type': 'text/csv', 'x-csrf-token': Browser.csrfFrom(page.body), 'x-file-name': 'nj.csv', accept: 'application/json' } });
    assert.equal(res.statusCode, 202, res.body);
    const { jobId, statusUrl } = res.json() as { jobId: string; statusUrl: string };
    assert.match((await editor.get(`/admin/catalog/import/${jobId}`)).body, /nj\.csv，共 2 行/);
    // Check the rows, then deliver the commit event as well as a duplicate of it.
    assert.equal(await worker.runOnce(), 1);
    assert.equal((await findImportJob(p.ctx.db, jobId))!.status, 'committing');
    await inTransaction(p.ctx.db, (tx) => emitEvent(tx, { topic: COMMIT_TOPIC, payload: { jobId } }));
    assert.equal(await worker.runOnce(), 2);
    assert.equal(await count(), before + 2);
    const status = (await editor.get(statusUrl, { accept: 'application/json' })).json() as { status: string; result: { created: number } };
    assert.equal(status.status, 'done');
    assert.equal(status.result.created, 2);
    // Jobs are region-scoped like the entries.
    const other = new Browser(p.app);
    await other.login('sz-importer', DEMO_PASSWORD);
    assert.equal((await other.get(`/admin/catalog/import/${jobId}`)).statusCode, 403);
  });
});
