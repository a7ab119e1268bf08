// Sniffing and upload checks on real files: a pdfkit PDF, a PNG from the simulators' encoder
// and a JFIF-framed JPEG; renamed programs and truncated uploads are refused.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import PDFDocument from 'pdfkit';
import { facePhotoPng } from '../../../simulators/index.ts';
import { checkUpload, isComplete, sniffType } from './sniff.ts';

const MB = 1024 * 1024;
const rules = { maxBytes: 10 * MB };
let pdf: Buffer;
const png = facePhotoPng('11010519491231002X');
// SOI, a JFIF APP0 segment, a little scan data with a stuffed FF 00, EOI.
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0', 'latin1'),
  Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
  Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0, 0x12, 0xff, 0x00, 0x34]),
  Buffer.from([0xff, 0xd9]),
]);
// An MS-DOS/PE executable's start ("MZ") padded out.
const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2000, 0x41)]);

before(async () => {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.text('申请材料 sample');
  doc.end();
  await done;
  pdf = Buffer.concat(chunks);
});

test('sniffType reads the magic bytes, not the name', () => {
  assert.equal(sniffType(pdf), 'application/pdf');
  assert.equal(sniffType(png), 'image/png');
  assert.equal(sniffType(jpeg), 'image/jpeg');
  assert.equal(sniffType(exe), null);
  assert.equal(sniffType(new Uint8Array()), null);
  assert.equal(sniffType(Buffer.from('%PD')), null);
  // %PDF- after junk is refused (documented: no 1024-byte tolerance, it enables polyglots).
  assert.equal(sniffType(Buffer.concat([Buffer.from('<html>'), pdf])), null);
});

test('genuine files pass with their canonical extension', () => {
  assert.deepEqual(checkUpload(pdf, '营业执照.PDF', rules), { ok: true, mime: 'application/pdf', ext: 'pdf' });
  assert.deepEqual(checkUpload(png, 'photo.png', rules), { ok: true, mime: 'image/png', ext: 'png' });
  assert.deepEqual(checkUpload(jpeg, 'id-card.jpeg', rules), { ok: true, mime: 'image/jpeg', ext: 'jpg' });
  assert.deepEqual(checkUpload(Buffer.concat([jpeg, Buffer.alloc(64)]), 'padded.jpg', rules), { ok: true, mime: 'image/jpeg', ext: 'jpg' });
});

test('a renamed program or a mislabelled file is refused', () => {
  assert.deepEqual(checkUpload(exe, '身份证.pdf', rules), { ok: false, message: '文件内容与扩展名不符' });
  assert.deepEqual(checkUpload(png, 'scan.pdf', rules), { ok: false, message: '文件内容与扩展名不符' });
  assert.deepEqual(checkUpload(pdf, 'scan.jpg', rules), { ok: false, message: '文件内容与扩展名不符' });
  assert.deepEqual(checkUpload(exe, 'setup.exe', rules), { ok: false, message: '只能上传 PDF、JPG 或 PNG 文件' });
  assert.deepEqual(checkUpload(pdf, 'no-extension', rules), { ok: false, message: '只能上传 PDF、JPG 或 PNG 文件' });
});

test('the allowed list narrows what is accepted and the message says so', () => {
  const photos = { ...rules, allowed: ['image/jpeg', 'image/png'] as const };
  assert.deepEqual(checkUpload(pdf, 'a.pdf', photos), { ok: false, message: '只能上传 JPG 或 PNG 文件' });
  assert.equal(checkUpload(png, 'a.png', photos).ok, true);
  assert.deepEqual(checkUpload(png, 'a.png', { ...rules, allowed: ['application/pdf'] }), { ok: false, message: '只能上传 PDF 文件' });
});

test('truncated uploads are refused for every format', () => {
  const truncated = '文件不完整（可能上传中断或文件已损坏），请重新上传';
  for (const [bytes, name] of [[pdf, 'a.pdf'], [png, 'a.png'], [jpeg, 'a.jpg']] as const) {
    assert.equal(isComplete(bytes, sniffType(bytes)!), true, name);
    const cut = bytes.subarray(0, bytes.length - 7);
    assert.deepEqual(checkUpload(cut, name, rules), { ok: false, message: truncated }, name);
    const half = bytes.subarray(0, Math.ceil(bytes.length / 2));
    assert.deepEqual(checkUpload(half, name, rules), { ok: false, message: truncated }, name);
  }
});

test('size limit and empty files', () => {
  const big = Buffer.concat([pdf, Buffer.alloc(10 * MB)]);
  assert.deepEqual(checkUpload(big, 'big.pdf', rules), { ok: false, message: '文件过大，最大 10 MB' });
  assert.deepEqual(checkUpload(pdf, 'a.pdf', { maxBytes: pdf.length - 1 }), { ok: false, message: `文件过大，最大 ${Math.floor((pdf.length - 1) / 1024)} KB` });
  assert.equal(checkUpload(pdf, 'a.pdf', { maxBytes: pdf.length }).ok, true);
  assert.deepEqual(checkUpload(big, 'big.pdf', { maxBytes: 2.5 * MB }), { ok: false, message: '文件过大，最大 2.5 MB' });
  assert.deepEqual(checkUpload(new Uint8Array(), 'a.pdf', rules), { ok: false, message: '文件是空的，请重新选择' });
});
