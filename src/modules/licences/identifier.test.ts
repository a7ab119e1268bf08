import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIdentifier, parseIdentifier, serialFor, versionString } from './identifier.ts';

// Identifiers published by provincial systems (in API documentation and data exchanged with
// the national platform): our check reproduces theirs.
const PUBLISHED = [
  '1.2.156.3005.2.11100000000013338W087.11370800MB28559184.37080001202411010001.001.3',
  '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.S',
  '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
  '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0',
];

test('published licence identifiers parse and their MOD 37,36 check characters agree', () => {
  for (const id of PUBLISHED) {
    const parsed = parseIdentifier(id);
    assert.ok(parsed.ok, id);
    assert.equal(formatIdentifier(parsed.id), id);
  }
  // A published example whose issuer part is a region code, not a USCC: only the relaxed parse takes it.
  const hefei = '1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9';
  assert.deepEqual(parseIdentifier(hefei), { ok: false, problem: 'issuer' });
  assert.ok(parseIdentifier(hefei, { strictIssuer: false }).ok);
});

test('forged and malformed identifiers are told apart', () => {
  const good = PUBLISHED[0]!;
  assert.deepEqual(parseIdentifier(good.slice(0, -1) + '4'), { ok: false, problem: 'check' });
  assert.deepEqual(parseIdentifier(good.replace('202411010001', '202411010002')), { ok: false, problem: 'check' });
  assert.deepEqual(parseIdentifier('2.2.156.3005.2.x'), { ok: false, problem: 'format' });
  assert.deepEqual(parseIdentifier(good.replace('.001.', '.1.')), { ok: false, problem: 'format' });
  assert.deepEqual(parseIdentifier(good.toLowerCase()), { ok: false, problem: 'format' });
  assert.deepEqual(parseIdentifier(good.replace('11100000000013338W087', '11100000000013338W08')), { ok: false, problem: 'type_code' });
  assert.deepEqual(parseIdentifier(good.replace('11370800MB28559184', '11370800MB28559185')), { ok: false, problem: 'issuer' });
});

test('identifiers this platform makes', () => {
  const id = formatIdentifier({ typeCode: '11100000000013338W201', issuerUscc: '11370800MB28559184', serial: serialFor(2026, 42), version: versionString(1) });
  assert.match(id, /^1\.2\.156\.3005\.2\.11100000000013338W201\.11370800MB28559184\.202600000042\.001\.[0-9A-Z]$/);
  assert.ok(parseIdentifier(id).ok);
  assert.throws(() => versionString(0));
  assert.throws(() => formatIdentifier({ typeCode: 'X', issuerUscc: '11370800MB28559184', serial: '1', version: '001' }));
  assert.throws(() => formatIdentifier({ typeCode: '11100000000013338W201', issuerUscc: '11370800MB28559185', serial: '1', version: '001' }));
});
