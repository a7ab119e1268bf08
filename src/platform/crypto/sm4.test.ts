import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { sm4Open, sm4Seal } from './sm4.ts';
import { PersonalDataCipher, maskIdNumber, maskMobile, maskName } from './personal-data.ts';

test('SM4 block cipher matches the GB/T 32907 test vector', () => {
  // GB/T 32907-2016 Appendix A example 1: key = plaintext = 0123456789abcdeffedcba9876543210.
  const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
  const cipher = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
  const out = Buffer.concat([cipher.update(key), cipher.final()]);
  assert.equal(out.toString('hex'), '681edf34d206965e86b3e94f536e4246');
});

test('sealed boxes open with the same key and purpose only', () => {
  const key = Buffer.alloc(16, 7);
  const box = sm4Seal(key, '320102199003071234', 'id_number');
  assert.equal(sm4Open(key, box, 'id_number').toString(), '320102199003071234');
  assert.throws(() => sm4Open(key, box, 'mobile'), /authentication/);
  assert.throws(() => sm4Open(Buffer.alloc(16, 8), box, 'id_number'), /authentication/);
  const tampered = Buffer.from(box);
  tampered[20]! ^= 1;
  assert.throws(() => sm4Open(key, tampered, 'id_number'), /authentication/);
  assert.notDeepEqual(sm4Seal(key, 'same', 'x'), sm4Seal(key, 'same', 'x'), 'a fresh IV each time');
});

test('blind indexes match equal values per field and masks hide the middle', () => {
  const cipher = new PersonalDataCipher({ dataKey: Buffer.alloc(16, 1), blindIndexKey: Buffer.alloc(32, 2) });
  assert.equal(cipher.blindIndex('id_number', '11010519491231002x'), cipher.blindIndex('id_number', '11010519491231002X'));
  assert.notEqual(cipher.blindIndex('id_number', '13800000000'), cipher.blindIndex('mobile', '13800000000'));
  assert.equal(cipher.open('mobile', cipher.seal('mobile', '13800000000')), '13800000000');
  assert.equal(maskIdNumber('320102199003071234'), '3201**********1234');
  assert.equal(maskMobile('13812345678'), '138****5678');
  assert.equal(maskName('欧阳娜娜'), '欧***');
});
