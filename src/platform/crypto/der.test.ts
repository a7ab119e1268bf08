import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  children, decodeBitString, decodeInteger, decodeNamedBits, decodeOid, decodeTime, DerError, FieldReader, generalizedTime, integer, namedBits, oid,
  readOne, seq, tlv, time, TAG, type DerReason,
} from './der.ts';

const reason = (run: () => unknown): { reason: DerReason; path: string } => {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof DerError, `only DerError escapes, got ${String(e)}`);
    return { reason: e.reason, path: e.path };
  }
  assert.fail('expected a DerError');
};

test('structure: minimal definite lengths only, nothing after the element, limits per caller', () => {
  const big = tlv(TAG.OCTET_STRING, Buffer.alloc(300, 1));
  assert.deepEqual(readOne(big, 'p').body, Buffer.alloc(300, 1));
  assert.equal(reason(() => readOne(big.subarray(0, 100), 'a.b')).reason, 'truncated');
  assert.equal(reason(() => readOne(Buffer.concat([big, Buffer.from([0])]), 'p')).reason, 'trailing_bytes');
  assert.equal(reason(() => readOne(Buffer.from([0x30, 0x80, 0, 0]), 'p')).reason, 'indefinite_length');
  assert.equal(reason(() => readOne(Buffer.from([0x04, 0x81, 0x05, 1, 2, 3, 4, 5]), 'p')).reason, 'non_minimal_length');
  assert.equal(reason(() => readOne(Buffer.from([0x04, 0x82, 0x00, 0x80, ...Buffer.alloc(0x80)]), 'p')).reason, 'non_minimal_length');
  assert.equal(reason(() => readOne(Buffer.from([0x1f, 0x01, 0x00]), 'p')).reason, 'multi_byte_tag');
  const fourOctets = Buffer.from([0x04, 0x84, 0x01, 0, 0, 0]);
  assert.equal(reason(() => readOne(fourOctets, 'p')).reason, 'truncated');
  assert.equal(reason(() => readOne(fourOctets, 'p', { lengthOctets: 3 })).reason, 'length_too_large');
  assert.equal(reason(() => children(readOne(integer(5), 'p'), 'p')).reason, 'not_constructed');
});

test('FieldReader names the field that failed', () => {
  const r = new FieldReader(readOne(seq(integer(1), oid('1.2.3')), 'p'), 'Root');
  assert.equal(decodeInteger(r.next('version', TAG.INTEGER), 'Root.version'), 1n);
  assert.deepEqual(reason(() => r.next('name', TAG.UTF8_STRING)), { reason: 'unexpected_tag', path: 'Root.name' });
  assert.deepEqual(reason(() => r.end()), { reason: 'trailing_bytes', path: 'Root' });
  assert.equal(r.optional([TAG.UTF8_STRING]), undefined);
  assert.equal(decodeOid(r.next('algorithm', TAG.OID), 'Root.algorithm'), '1.2.3');
  assert.deepEqual(reason(() => r.next('extra', TAG.INTEGER)), { reason: 'missing', path: 'Root.extra' });
  r.end();
  assert.equal(reason(() => new FieldReader(readOne(integer(1), 'p'), 'X')).reason, 'unexpected_tag');
});

test('integers and OIDs: minimal, non-negative, arcs bounded when asked', () => {
  for (const v of [0n, 127n, 128n, 255n, 2n ** 64n, 2n ** 159n]) assert.equal(decodeInteger(readOne(integer(v), 'p'), 'p'), v);
  assert.equal(reason(() => decodeInteger(readOne(Buffer.from([0x02, 0x02, 0x00, 0x01]), 'p'), 'p')).reason, 'non_minimal');
  assert.equal(reason(() => decodeInteger(readOne(Buffer.from([0x02, 0x01, 0x80]), 'p'), 'p')).reason, 'negative');
  assert.equal(reason(() => decodeInteger(readOne(Buffer.from([0x02, 0x00]), 'p'), 'p')).reason, 'empty');
  assert.throws(() => integer(-1), RangeError);
  for (const o of ['1.2.156.10197.1.501', '2.5.29.15', '2.999.18446744073709551616']) assert.equal(decodeOid(readOne(oid(o), 'p'), 'p'), o);
  assert.throws(() => oid('1'), RangeError);
  assert.throws(() => oid('1.x.3'), RangeError);
  const huge = readOne(oid('1.2.18446744073709551616'), 'p');
  assert.equal(reason(() => decodeOid(huge, 'p', Number.MAX_SAFE_INTEGER / 128)).reason, 'too_large');
  assert.equal(reason(() => decodeOid(readOne(Buffer.from([0x06, 0x02, 0x2a, 0x80]), 'p'), 'p')).reason, 'bad_encoding');
  assert.equal(reason(() => decodeOid(readOne(Buffer.from([0x06, 0x03, 0x2a, 0x80, 0x01]), 'p'), 'p')).reason, 'non_minimal');
});

test('bit strings: whole bytes or named bits', () => {
  assert.deepEqual(decodeNamedBits(readOne(namedBits([0, 5, 8]), 'p'), 'p'), [0, 5, 8]);
  assert.deepEqual(decodeNamedBits(readOne(namedBits([]), 'p'), 'p'), []);
  assert.equal(reason(() => decodeBitString(readOne(namedBits([0, 5]), 'p'), 'p')).reason, 'unused_bits');
  assert.equal(reason(() => decodeBitString(readOne(Buffer.from([0x03, 0x00]), 'p'), 'p')).reason, 'empty');
});

test('times: UTCTime to 2049, GeneralizedTime after; real dates only', () => {
  const t = new Date(Date.UTC(2031, 1, 28, 12, 3, 4));
  assert.equal(time(t)[0], TAG.UTC_TIME);
  assert.equal(time(new Date(Date.UTC(2050, 0, 1)))[0], TAG.GENERALIZED_TIME);
  assert.equal(time(new Date(Date.UTC(1949, 11, 31)))[0], TAG.GENERALIZED_TIME);
  for (const encoded of [time(t), generalizedTime(t), generalizedTime(new Date(t.getTime() + 789))]) assert.equal(decodeTime(readOne(encoded, 'p'), 'p').getTime(), t.getTime());
  assert.equal(decodeTime(readOne(tlv(TAG.UTC_TIME, Buffer.from('500101000000Z')), 'p'), 'p').getUTCFullYear(), 1950);
  const fraction = readOne(tlv(TAG.GENERALIZED_TIME, Buffer.from('20310228120304.567Z')), 'p');
  assert.equal(reason(() => decodeTime(fraction, 'p')).reason, 'bad_format');
  assert.equal(decodeTime(fraction, 'p', { fraction: true }).getUTCMilliseconds(), 567);
  const notADate = (text: string) => reason(() => decodeTime(readOne(tlv(TAG.GENERALIZED_TIME, Buffer.from(text)), 'p'), 'p')).reason;
  assert.equal(notADate('20310230000000Z'), 'bad_date');
  assert.equal(notADate('20310228240000Z'), 'bad_date');
  assert.equal(notADate('00510101000000Z'), 'bad_date'); // Date.UTC would read year 51 as 1951
  assert.equal(notADate('20310228120304+0800'), 'bad_format');
  assert.equal(reason(() => decodeTime(readOne(integer(1), 'p'), 'p')).reason, 'unexpected_tag');
});
