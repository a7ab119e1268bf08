// Every application form of the demo catalogue renders with a
// label for each input, and what a browser posts from a filled-in form parses back to the
// same answers and validates: the building block works on the real shapes, not one fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_IMPLEMENTATIONS } from '../../../../demo/catalog/implementations.ts';
import { renderForm } from './render.ts';
import { parseForm } from './parse.ts';
import { validateAnswers } from './validate.ts';
import { controlsOf, sampleAnswers, submitted, unlabelled } from './test-support.ts';
import type { Schema } from './schema.ts';

function demoForms(): { name: string; schema: Schema }[] {
  const seen = new Map<string, { name: string; schema: Schema }>();
  for (const spec of DEMO_IMPLEMENTATIONS) {
    const all = [spec.details.formSchema, ...Object.values(spec.overrides ?? {}).map((o) => o.formSchema)];
    for (const schema of all) if (schema) seen.set(JSON.stringify(schema), { name: `${spec.basicCode} ${String(schema.title)}`, schema });
  }
  return [...seen.values()];
}

const forms = demoForms();

test('the demo catalogue has many distinct application forms', () => {
  assert.ok(forms.length >= 60, `only ${forms.length} forms`);
});

test('every demo form renders empty with a label for every input and unique ids', () => {
  for (const { name, schema } of forms) {
    const html = renderForm({ schema });
    const controls = controlsOf(html);
    assert.ok(controls.length >= Object.keys(schema.properties as object).length, `${name}: too few inputs`);
    assert.deepEqual(unlabelled(html), [], `${name}: inputs without a label`);
    const ids = controls.map((c) => c.attrs.id).filter(Boolean);
    assert.equal(new Set(ids).size, ids.length, `${name}: duplicate ids`);
    assert.doesNotMatch(html, /style=|<script|on[a-z]+=/i, `${name}: inline style or script`);
    // Nothing filled in: every required field is reported under a rendered input's name.
    const errors = validateAnswers(schema, parseForm(schema, submitted(html)));
    const names = new Set(controls.map((c) => c.attrs.name ?? c.attrs.id));
    for (const e of errors) assert.ok(names.has(e.field) || html.includes(`id="${e.field}"`), `${name}: error for ${e.field} has no field`);
    assert.equal(errors.length, new Set((schema.required as string[]) ?? []).size, `${name}: ${JSON.stringify(errors)}`);
  }
});

test('every demo form round-trips: sample answers → render → browser post → parse → same answers, valid', () => {
  for (const { name, schema } of forms) {
    const answers = sampleAnswers(schema);
    assert.deepEqual(validateAnswers(schema, answers), [], `${name}: the sample itself is invalid`);
    const html = renderForm({ schema, values: answers });
    const parsed = parseForm(schema, submitted(html));
    assert.deepEqual(parsed, answers, name);
    assert.deepEqual(validateAnswers(schema, parsed), [], name);
  }
});
