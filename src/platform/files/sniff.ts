// What an upload really is, judged by its bytes, never by its name or the browser's claim.
// PDF: `%PDF-` must stand at offset 0. Readers tolerate up to 1024 bytes of junk before it
// (ISO 32000 implementation notes), but that tolerance is what makes PDF polyglots (an HTML
// page or a program that is also a "PDF") possible; every real producer and scanner writes
// the header first, so the platform refuses anything else.
// Completeness: a file cut off in transit lacks its end marker (PDF `%%EOF` within the last
// 1024 bytes, PNG's IEND chunk within the last 1024 bytes, JPEG's EOI FF D9 as the last bytes
// after trailing zero padding), so a half-finished upload is refused rather than stored.

export type MaterialMime = 'application/pdf' | 'image/jpeg' | 'image/png';
export const MATERIAL_MIMES: readonly MaterialMime[] = ['application/pdf', 'image/jpeg', 'image/png'];

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// Length 0, type IEND, CRC of "IEND": the fixed last chunk of every PNG.
const PNG_IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
const TAIL = 1024;

const EXTENSIONS: Record<MaterialMime, { ext: string; names: string[]; label: string }> = {
  'application/pdf': { ext: 'pdf', names: ['pdf'], label: 'PDF' },
  'image/jpeg': { ext: 'jpg', names: ['jpg', 'jpeg'], label: 'JPG' },
  'image/png': { ext: 'png', names: ['png'], label: 'PNG' },
};

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

export function sniffType(bytes: Uint8Array): MaterialMime | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  return null;
}

/** True when the file carries its format's end marker, i.e. it was not cut off. */
export function isComplete(bytes: Uint8Array, mime: MaterialMime): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tail = buf.subarray(Math.max(0, buf.length - TAIL));
  switch (mime) {
    case 'application/pdf':
      return tail.includes('%%EOF', 0, 'latin1');
    case 'image/png':
      return buf.length > PNG_SIGNATURE.length + PNG_IEND.length && tail.includes(PNG_IEND);
    case 'image/jpeg': {
      let end = buf.length;
      while (end > 0 && buf[end - 1] === 0) end--;
      return end >= 4 && buf[end - 2] === 0xff && buf[end - 1] === 0xd9;
    }
  }
}

export interface UploadRules {
  maxBytes: number;
  allowed?: readonly MaterialMime[];
}

export type UploadCheck = { ok: true; mime: MaterialMime; ext: string } | { ok: false; message: string };

function allowedText(allowed: readonly MaterialMime[]): string {
  const labels = allowed.map((m) => EXTENSIONS[m].label);
  return labels.length > 1 ? `${labels.slice(0, -1).join('、')} 或 ${labels.at(-1)}` : labels[0]!;
}

function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.floor(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** Checks an upload before it is stored; the messages are shown to the applicant as they are. */
export function checkUpload(bytes: Uint8Array, declaredName: string, rules: UploadRules): UploadCheck {
  const allowed = rules.allowed ?? MATERIAL_MIMES;
  const only = `只能上传 ${allowedText(allowed)} 文件`;
  if (bytes.byteLength === 0) return { ok: false, message: '文件是空的，请重新选择' };
  if (bytes.byteLength > rules.maxBytes) return { ok: false, message: `文件过大，最大 ${sizeText(rules.maxBytes)}` };
  const dot = declaredName.lastIndexOf('.');
  const declaredExt = dot < 0 ? '' : declaredName.slice(dot + 1).toLowerCase();
  const declaredMime = allowed.find((m) => EXTENSIONS[m].names.includes(declaredExt));
  if (!declaredMime) return { ok: false, message: only };
  const mime = sniffType(bytes);
  if (mime === null || mime !== declaredMime) return { ok: false, message: '文件内容与扩展名不符' };
  if (!isComplete(bytes, mime)) return { ok: false, message: '文件不完整（可能上传中断或文件已损坏），请重新上传' };
  return { ok: true, mime, ext: EXTENSIONS[mime].ext };
}
