// Reading an uploaded PDF: precise errors for the common failures before pdf-lib parses it.
import { PDFDocument } from 'pdf-lib';
import { PdfError } from './errors.ts';

/** Larger uploads are refused before parsing: pdf-lib holds the whole document in memory. */
export const MAX_PDF_BYTES = 50 * 1024 * 1024;

/** Cheap structural checks that give a precise error before pdf-lib guesses its way through. */
export function assertPdfShape(bytes: Uint8Array): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length > MAX_PDF_BYTES) throw new PdfError('too_large', `上限 ${MAX_PDF_BYTES / 1024 / 1024} MB`);
  if (buf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new PdfError('not_pdf');
  const tail = buf.subarray(Math.max(0, buf.length - 1024)).toString('latin1');
  if (!/startxref\s+\d+\s+%%EOF\s*$/.test(tail)) throw new PdfError('truncated', '文件末尾缺少 startxref/%%EOF');
}

export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  assertPdfShape(bytes);
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/encrypt/i.test(message)) throw new PdfError('encrypted');
    throw new PdfError('corrupt', message.slice(0, 200));
  }
}

