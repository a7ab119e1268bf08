// The DER SES_Signature travels inside the PDF as an incremental update appended to the
// stamped bytes, so the signed bytes stay byte-identical (the same idea as a PDF signature's
// ByteRange). Layout written after the stamped PDF S (L = S.length):
//
//   N 0 obj << /Type /YWSESignature /ByteRange [0 L] /Length n >> stream <DER> endstream endobj
//   C g obj <the catalog of S plus /YWSESignature N 0 R> endobj
//   xref … trailer << … /Prev <startxref of S> >> startxref … %%EOF
//
// The section is a pure function of S and the DER, so verification rebuilds it and compares
// byte for byte: anything appended (another incremental update) or changed after the signed
// range — including the catalog copy, which could otherwise add actions or pages — shows.
import { PDFName, PDFRef, type PDFDict } from 'pdf-lib';
import { PdfError } from './errors.ts';
import { assertPdfShape, loadPdf } from './load.ts';

/** The PDF /Type of the signature object (a second-class name: PDF 32000 Annex E). */
export const SIGNATURE_TYPE = 'YWSESignature';
const MARKER = Buffer.from(`<< /Type /${SIGNATURE_TYPE} /ByteRange [0 `, 'latin1');

export interface EmbeddedSignature {
  /** The DER SES_Signature. */
  der: Buffer;
  /** The bytes the dataHash covers: ByteRange [0, length). */
  byteRange: [number, number];
  signedBytes: Buffer;
}

async function buildUpdate(signed: Buffer, der: Buffer): Promise<Buffer> {
  const tail = signed.subarray(Math.max(0, signed.length - 1024)).toString('latin1');
  const prev = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!prev) throw new PdfError('truncated', '文件末尾缺少 startxref/%%EOF');
  const doc = await loadPdf(signed);
  const ctx = doc.context;
  const root = ctx.trailerInfo.Root;
  if (!(root instanceof PDFRef)) throw new PdfError('corrupt', '缺少文档目录（/Root）');
  const catalog = ctx.lookup(root) as PDFDict | undefined;
  if (!catalog || typeof catalog.clone !== 'function') throw new PdfError('corrupt', '文档目录不是字典');
  const sigNum = ctx.largestObjectNumber + 1;
  const copy = catalog.clone(ctx);
  copy.set(PDFName.of(SIGNATURE_TYPE), PDFRef.of(sigNum));

  const L = signed.length;
  const parts: Buffer[] = [];
  let at = L;
  const push = (b: Buffer) => {
    parts.push(b);
    at += b.length;
  };
  const sigOffset = at + 1;
  push(Buffer.from(`\n${sigNum} 0 obj\n<< /Type /${SIGNATURE_TYPE} /ByteRange [0 ${L}] /Length ${der.length} >>\nstream\n`, 'latin1'));
  push(der);
  push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
  const catOffset = at;
  push(Buffer.from(`${root.objectNumber} ${root.generationNumber} obj\n${copy.toString()}\nendobj\n`, 'latin1'));
  const xrefOffset = at;
  const entry = (offset: number, gen: number) => `${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n \n`;
  const rows = [
    [root.objectNumber, entry(catOffset, root.generationNumber)],
    [sigNum, entry(sigOffset, 0)],
  ] as const;
  let xref = 'xref\n0 1\n0000000000 65535 f \n';
  for (const [num, line] of [...rows].sort((a, b) => a[0] - b[0])) xref += `${num} 1\n${line}`;
  const info = ctx.trailerInfo.Info ? ` /Info ${ctx.trailerInfo.Info.toString()}` : '';
  const id = ctx.trailerInfo.ID ? ` /ID ${ctx.trailerInfo.ID.toString()}` : '';
  push(Buffer.from(`${xref}trailer\n<< /Size ${sigNum + 1} /Root ${root.toString()}${info}${id} /Prev ${prev[1]} >>\nstartxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** Appends the signature section; `stamped` is left byte-identical at the front. */
export async function embedSignature(stamped: Uint8Array, der: Uint8Array): Promise<Buffer> {
  const signed = Buffer.from(stamped);
  if (signed.includes(MARKER)) throw new PdfError('already_signed');
  return Buffer.concat([signed, await buildUpdate(signed, Buffer.from(der))]);
}

/**
 * Finds the signature section and returns the DER and the covered range without checking the
 * rest of the file (a cheap read, so a changed covered byte is reported as a hash mismatch by
 * the caller even when it breaks the PDF syntax). Call checkSignatureSection afterwards.
 */
export function readEmbeddedSignature(bytes: Uint8Array): EmbeddedSignature {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new PdfError('not_pdf');
  const markerAt = buf.lastIndexOf(MARKER);
  if (markerAt < 0) {
    assertPdfShape(buf); // a cut-short file says so rather than "not signed"
    throw new PdfError('not_signed');
  }
  const head = buf.subarray(markerAt + MARKER.length, markerAt + MARKER.length + 64).toString('latin1');
  const m = /^(\d{1,12})\] \/Length (\d{1,9}) >>\nstream\n/.exec(head);
  if (!m) throw new PdfError('corrupt', '签章对象格式错误');
  const L = Number(m[1]);
  const n = Number(m[2]);
  const derStart = markerAt + MARKER.length + m[0].length;
  if (L > markerAt || derStart + n > buf.length) throw new PdfError('corrupt', '签章对象的字节范围无效');
  if (buf.indexOf(MARKER) !== markerAt) throw new PdfError('altered_after_signing', '文档含有多个签章对象');
  return { der: Buffer.from(buf.subarray(derStart, derStart + n)), byteRange: [0, L], signedBytes: buf.subarray(0, L) };
}

export type SectionCheck = { ok: true } | { ok: false; code: 'altered_after_signing' | 'truncated'; detail: string };

/** Rebuilds the signature section from the signed range and compares it with the file's tail. */
export async function checkSignatureSection(bytes: Uint8Array, found: EmbeddedSignature): Promise<SectionCheck> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let expected: Buffer;
  try {
    expected = await buildUpdate(found.signedBytes, found.der);
  } catch (err) {
    return { ok: false, code: 'altered_after_signing', detail: `签名范围内的文档无法读取（${err instanceof Error ? err.message : String(err)}）` };
  }
  const tail = buf.subarray(found.byteRange[1]);
  if (tail.equals(expected)) return { ok: true };
  if (tail.length > expected.length && tail.subarray(0, expected.length).equals(expected)) {
    return { ok: false, code: 'altered_after_signing', detail: `签章后追加了 ${tail.length - expected.length} 字节（增量更新）` };
  }
  if (tail.length < expected.length && expected.subarray(0, tail.length).equals(tail)) return { ok: false, code: 'truncated', detail: '签章部分不完整（文件被截断）' };
  return { ok: false, code: 'altered_after_signing', detail: '签章部分之后的内容被改动' };
}
