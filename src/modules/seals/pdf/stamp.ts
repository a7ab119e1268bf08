// Places the seal picture visibly on a page. The result is a complete, freshly written PDF
// (classic cross-reference table, no object streams) whose bytes are what the signature's
// dataHash covers; the signature itself follows in an incremental update (embed.ts).
import { PdfError } from './errors.ts';
import { SIGNATURE_TYPE } from './embed.ts';
import { loadPdf } from './load.ts';

export const MM_TO_PT = 72 / 25.4;

export interface Placement {
  /** 1-based page number. */
  page: number;
  /** Centre of the seal, in millimetres from the page's top-left corner. */
  x: number;
  y: number;
}

export interface SealPicture {
  png: Uint8Array;
  /** Printed size in millimetres (SES_ESPictrueInfo width/height). */
  width: number;
  height: number;
}

/** Stamps `picture` at `placement` and returns the new PDF bytes (the part to be signed). */
export async function stampPdf(input: Uint8Array, picture: SealPicture, placement: Placement): Promise<Buffer> {
  try {
    return await stamp(input, picture, placement);
  } catch (err) {
    // pdf-lib reads some broken files without complaint and fails later on a missing object.
    if (err instanceof PdfError) throw err;
    throw new PdfError('corrupt', err instanceof Error ? err.message.slice(0, 200) : undefined);
  }
}

async function stamp(input: Uint8Array, picture: SealPicture, placement: Placement): Promise<Buffer> {
  if (Buffer.from(input).includes(`/Type /${SIGNATURE_TYPE}`)) throw new PdfError('already_signed');
  const doc = await loadPdf(input);
  const pages = doc.getPages();
  if (!Number.isInteger(placement.page) || placement.page < 1 || placement.page > pages.length) {
    throw new PdfError('page_out_of_range', `文档共 ${pages.length} 页，指定第 ${placement.page} 页`);
  }
  const page = pages[placement.page - 1]!;
  const { width: pageW, height: pageH } = page.getSize();
  const w = picture.width * MM_TO_PT;
  const h = picture.height * MM_TO_PT;
  const cx = placement.x * MM_TO_PT;
  const cy = placement.y * MM_TO_PT;
  if (!(Number.isFinite(cx) && Number.isFinite(cy)) || cx - w / 2 < 0 || cy - h / 2 < 0 || cx + w / 2 > pageW + 0.01 || cy + h / 2 > pageH + 0.01) {
    const mm = (pt: number) => Math.floor(pt / MM_TO_PT);
    throw new PdfError('position_out_of_page', `页面 ${mm(pageW)}×${mm(pageH)} mm，印章 ${picture.width}×${picture.height} mm 须完整落在页面内`);
  }
  let image;
  try {
    image = await doc.embedPng(picture.png);
  } catch (err) {
    throw new PdfError('bad_image', err instanceof Error ? err.message.slice(0, 200) : undefined);
  }
  // PDF user space starts at the bottom-left corner; the placement is given from the top.
  page.drawImage(image, { x: cx - w / 2, y: pageH - cy - h / 2, width: w, height: h });
  return Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
}
