import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFRawStream } from 'pdf-lib';
import { checkSignatureSection, embedSignature, PdfError, readEmbeddedSignature, stampPdf } from './index.ts';
import { redSquarePng, samplePdf } from './test-fixtures.ts';

const picture = { png: redSquarePng(), width: 40, height: 40 };
const der = Buffer.from('3003020104', 'hex'); // the embedding does not read the DER
const code = async (work: () => Promise<unknown>) => {
  try {
    await work();
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof PdfError, `only PdfError escapes, got ${String(err)}`);
    return err.code;
  }
};

describe('PDF stamping and signature embedding', () => {
  test('stamps the picture on the chosen page at the given millimetre position', async () => {
    const stamped = await stampPdf(await samplePdf(2), picture, { page: 2, x: 150, y: 250 });
    const doc = await PDFDocument.load(stamped);
    assert.equal(doc.getPageCount(), 2);
    const ops = (n: number) => {
      const c = doc.getPage(n).node.Contents();
      const streams = c instanceof PDFArray ? c.asArray().map((r) => doc.context.lookup(r)) : [c];
      return streams.map((s) => (s instanceof PDFRawStream ? inflateSync(s.contents).toString('latin1') : '')).join('\n');
    };
    assert.doesNotMatch(ops(0), / Do\n/, 'page 1 is untouched');
    const mm = 72 / 25.4;
    const nums = (re: RegExp) => (re.exec(ops(1)) ?? []).slice(1).map(Number);
    // A4 is 841.89 pt high; the 40 mm square is centred 150 mm from the left, 250 mm from the top.
    const [left, bottom] = nums(/1 0 0 1 ([\d.]+) ([\d.]+) cm\n1 0 0 1 0 0 cm\n[\d.]+ 0 0 [\d.]+ 0 0 cm/);
    const [w, h] = nums(/([\d.]+) 0 0 ([\d.]+) 0 0 cm\n1 0 0 1 0 0 cm\n\/Image/);
    assert.ok(Math.abs(left! - 130 * mm) < 0.01 && Math.abs(bottom! - (841.89 - 270 * mm)) < 0.01, `origin ${left},${bottom}`);
    assert.ok(Math.abs(w! - 40 * mm) < 0.01 && Math.abs(h! - 40 * mm) < 0.01, `size ${w}×${h}`);
  });

  test('refuses bad placements and bad input with clear errors', async () => {
    const pdf = await samplePdf(1);
    assert.equal(await code(() => stampPdf(pdf, picture, { page: 2, x: 100, y: 100 })), 'page_out_of_range');
    assert.equal(await code(() => stampPdf(pdf, picture, { page: 0, x: 100, y: 100 })), 'page_out_of_range');
    assert.equal(await code(() => stampPdf(pdf, picture, { page: 1, x: 10, y: 100 })), 'position_out_of_page');
    assert.equal(await code(() => stampPdf(pdf, picture, { page: 1, x: 100, y: 290 })), 'position_out_of_page');
    assert.equal(await code(() => stampPdf(pdf, picture, { page: 1, x: Number.NaN, y: 100 })), 'position_out_of_page');
    assert.equal(await code(() => stampPdf(pdf, { ...picture, png: Buffer.from('not a png') }, { page: 1, x: 100, y: 100 })), 'bad_image');
    assert.equal(await code(() => stampPdf(pdf.subarray(0, pdf.length - 40), picture, { page: 1, x: 100, y: 100 })), 'truncated');
    assert.equal(await code(() => stampPdf(Buffer.from('hello'), picture, { page: 1, x: 100, y: 100 })), 'not_pdf');
    const garbled = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200, 0x41), Buffer.from('\nstartxref\n9\n%%EOF\n')]);
    assert.equal(await code(() => stampPdf(garbled, picture, { page: 1, x: 100, y: 100 })), 'corrupt');
  });

  test('the signature section leaves the stamped bytes intact and reads back', async () => {
    const stamped = await stampPdf(await samplePdf(1), picture, { page: 1, x: 100, y: 100 });
    const signed = await embedSignature(stamped, der);
    assert.ok(signed.subarray(0, stamped.length).equals(stamped), 'stamped bytes are a prefix of the signed PDF');
    const found = readEmbeddedSignature(signed);
    assert.deepEqual(found.byteRange, [0, stamped.length]);
    assert.ok(found.der.equals(der));
    assert.deepEqual(await checkSignatureSection(signed, found), { ok: true });
    // Still a PDF that a reader opens, with the signature object reachable from the catalog.
    const reopened = await PDFDocument.load(signed);
    assert.equal(reopened.getPageCount(), 1);
    assert.match(reopened.catalog.toString(), /\/YWSESignature \d+ 0 R/);
    assert.equal(await code(() => embedSignature(signed, der)), 'already_signed');
    assert.equal(await code(() => stampPdf(signed, picture, { page: 1, x: 100, y: 100 })), 'already_signed');
  });

  test('anything appended or changed after the signed range is detected', async () => {
    const stamped = await stampPdf(await samplePdf(1), picture, { page: 1, x: 100, y: 100 });
    const signed = await embedSignature(stamped, der);
    // An incremental update written by a PDF editor after signing.
    const edited = Buffer.concat([signed, Buffer.from('\n3 0 obj\n<< /Type /Page >>\nendobj\nstartxref\n0\n%%EOF\n')]);
    const appended = await checkSignatureSection(edited, readEmbeddedSignature(edited));
    assert.equal(appended.ok, false);
    assert.match(!appended.ok ? appended.detail : '', /追加/);
    // A change inside the catalog copy (e.g. an /OpenAction) of the signature section.
    const text = signed.toString('latin1');
    const catalogAt = text.lastIndexOf('/Type /Catalog');
    const changed = Buffer.from(signed);
    changed.write('/Type /Katalog', catalogAt, 'latin1');
    assert.equal((await checkSignatureSection(changed, readEmbeddedSignature(changed))).ok, false);
    // Cutting the file short.
    const cut = signed.subarray(0, signed.length - 10);
    const cutCheck = await checkSignatureSection(cut, readEmbeddedSignature(cut));
    assert.equal(!cutCheck.ok && cutCheck.code, 'truncated');
    assert.equal(await code(async () => readEmbeddedSignature(stamped)), 'not_signed');
    assert.equal(await code(async () => readEmbeddedSignature(Buffer.from('xx'))), 'not_pdf');
  });
});
