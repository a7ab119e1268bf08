// What every Chinese PDF and picture the platform makes needs: the bundled Noto Sans SC fonts
// (@embedpdf/fonts-sc; pdfkit subset-embeds them, resvg draws seal text with the bold one) and
// a pdfkit document collected into one buffer.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// The font package exports only its JS entry; its fonts sit next to dist/.
const FONT_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');

export type CjkWeight = 'regular' | 'bold';
const FILES: Record<CjkWeight, string> = { regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' };
const loaded = new Map<CjkWeight, Buffer>();

export function cjkFontPath(weight: CjkWeight): string {
  return path.join(FONT_DIR, FILES[weight]);
}

/** Read once: the files are 8 MB each and never change while the process runs. */
export function cjkFont(weight: CjkWeight): Buffer {
  let font = loaded.get(weight);
  if (!font) {
    font = readFileSync(cjkFontPath(weight));
    loaded.set(weight, font);
  }
  return font;
}

/** The bytes a pdfkit document writes, once `end()` is called on it. */
export function pdfBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
