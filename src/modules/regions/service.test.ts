// The region cache: a region that was missing is found once it is loaded (misses are not
// cached), and the cache stays bounded however many codes are asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../../test/support/backends.ts';
import { RegionService } from './service.ts';
import * as store from './store.ts';

const region = (code: string, name: string, level: 1 | 2 | 3, parent: string | null): store.NewRegion => ({ code, name, level, parent_code: parent, functional_zone: false, vintage: 'test' });

describeEachBackend('region service cache', (getDb) => {
  test('a region looked up before it existed is found after it is loaded', async () => {
    const regions = new RegionService(getDb().db);
    await assert.rejects(regions.get('330000'), { code: 'REGION_NOT_FOUND' });
    await store.upsertRegions(getDb().db, [region('330000', '浙江省', 1, null)]);
    assert.equal((await regions.get('330000')).name, '浙江省');
  });

  test('the cache is cleared when it outgrows its bound', async () => {
    await store.upsertRegions(getDb().db, [region('330000', '浙江省', 1, null), ...Array.from({ length: 11 }, (_, i) => region(`33${String(i + 1).padStart(2, '0')}00`, `市${i + 1}`, 2, '330000'))]);
    const regions = new RegionService(getDb().db, { cacheLimit: 5 });
    const size = () => (regions as unknown as { cache: Map<string, unknown> }).cache.size;
    for (let i = 1; i <= 11; i++) {
      await regions.get(`33${String(i).padStart(2, '0')}00`);
      assert.ok(size() <= 5, `cache holds ${size()} entries`);
    }
    assert.equal((await regions.children('330000')).length, 11);
  });
});
