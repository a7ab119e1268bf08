import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppContext } from '../../../platform/module.ts';
import type { Material } from '../../catalog/index.ts';
import { candidatesFor, registerMaterialSource, resolveChoice } from './material-sources.ts';

const warnings: unknown[] = [];
// No database: the built-in previous-application source fails and must be skipped, not fatal.
const ctx = { log: { warn: (o: unknown) => warnings.push(o) } } as unknown as AppContext;
const material: Material = { id: 'licence_copy', name: '营业执照', form: 'electronic', count: 1, required: true, source: 'licence' };
const who = { kind: 'company' as const, id: '00000000-0000-0000-0000-000000000001' };

test('sources are offered side by side, duplicates dropped, a failing source skipped', async () => {
  registerMaterialSource({
    id: 'test-licence',
    label: '电子证照',
    kind: 'licence',
    async candidates(applicant, m) {
      if (applicant.id !== who.id || m.id !== 'licence_copy') return [];
      return [
        { reference: '1.2.156.3005.2.X.001', title: '营业执照（电子）' },
        { reference: '1.2.156.3005.2.X.001', title: '重复' },
      ];
    },
  });
  const offered = await candidatesFor(ctx, who, material);
  assert.deepEqual(offered.map((c) => [c.value, c.kind, c.title]), [['test-licence|1.2.156.3005.2.X.001', 'licence', '营业执照（电子）']]);
  assert.ok(warnings.length >= 1, 'the failing source was logged');
});

test('a choice is resolved at its source again: unknown or foreign references are refused', async () => {
  assert.deepEqual(await resolveChoice(ctx, who, material, 'test-licence|1.2.156.3005.2.X.001'), { source: 'licence', reference: '1.2.156.3005.2.X.001', title: '营业执照（电子）' });
  assert.equal(await resolveChoice(ctx, who, material, 'test-licence|1.2.156.3005.2.X.999'), null);
  assert.equal(await resolveChoice(ctx, { ...who, id: '00000000-0000-0000-0000-000000000002' }, material, 'test-licence|1.2.156.3005.2.X.001'), null);
});

test('source ids are short lower-case names (they are part of form values)', () => {
  assert.throws(() => registerMaterialSource({ id: 'Bad|id', label: 'x', kind: 'data', candidates: async () => [] }));
});
