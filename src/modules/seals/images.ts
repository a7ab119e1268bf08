// Seal pictures: a round red seal drawn as SVG (ring, the organisation's name along the top
// arc, a five-pointed star, the kind below the star), rendered to PNG by resvg with the
// bundled Noto Sans SC font so the output is the same on every machine; or an uploaded PNG,
// accepted only after its chunk structure has been checked.
import { crc32 } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import { cjkFontPath } from '../../platform/pdf/cjk.ts';

export type SealKind = 'official' | 'business' | 'legal_name';
export const SEAL_KINDS: readonly SealKind[] = ['official', 'business', 'legal_name'];
export const SEAL_KIND_LABELS: Record<SealKind, string> = { official: '公章', business: '业务专用章', legal_name: '法定名称章' };

/**
 * Diameter in millimetres. 公章 42 mm follows the State Council's rule for seals of
 * government bodies (国发〔1999〕25号); the smaller sizes keep 专用章 and 名称章 visibly
 * subordinate, as local seal rules do.
 */
export const SEAL_DIAMETER_MM: Record<SealKind, number> = { official: 42, business: 40, legal_name: 38 };
/** The text under the star: a 公章 and a 名称章 carry only the name. */
const KIND_TEXT: Record<SealKind, string> = { official: '', business: '业务专用章', legal_name: '' };

export const SEAL_RED = '#d7000f';
/** The bundled font's family name (Noto Sans SC as packaged by @embedpdf/fonts-sc). */
const FONT_FAMILY = 'Noto Sans S Chinese';
const FONT_FILE = cjkFontPath('bold');

export interface SealImageInput {
  kind: SealKind;
  /** The organisation's name, set along the top arc. */
  orgName: string;
  /** Overrides the kind text under the star (e.g. 合同专用章); '' for none. */
  label?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number) => Number(v.toFixed(3)).toString();

/** SVG in millimetre units (viewBox = diameter), width/height given in mm. */
export function sealSvg(input: SealImageInput): string {
  const d = SEAL_DIAMETER_MM[input.kind];
  const r = d / 2;
  const ring = d * 0.032;
  const chars = [...input.orgName.trim()];
  if (chars.length === 0 || chars.length > 40) throw new RangeError('seal name must have 1–40 characters');
  // The name fills an arc of up to 250°; long names get smaller characters, not a longer arc.
  const arc = Math.min(250, 60 + chars.length * 16);
  const step = chars.length > 1 ? arc / (chars.length - 1) : 0;
  const radius = r - ring * 1.6;
  const fontSize = Math.min(d * 0.15, ((2 * Math.PI * radius * (arc / 360)) / Math.max(chars.length, 1)) * 0.92);
  const baseline = radius - fontSize * 0.92;
  const name = chars
    .map((ch, i) => {
      const angle = chars.length > 1 ? -arc / 2 + i * step : 0;
      return `<text x="${n(r)}" y="${n(r - baseline)}" transform="rotate(${n(angle)} ${n(r)} ${n(r)})">${esc(ch)}</text>`;
    })
    .join('');
  const star = starPath(r, r, d * 0.19, d * 0.19 * 0.382);
  const label = input.label ?? KIND_TEXT[input.kind];
  const labelText = label
    ? `<text x="${n(r)}" y="${n(r + d * 0.3)}" font-size="${n(Math.min(d * 0.095, (d * 0.62) / [...label].length))}">${esc(label)}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${d}mm" height="${d}mm" viewBox="0 0 ${d} ${d}" role="img" aria-label="${esc(input.orgName + (label || ''))}">` +
    `<circle cx="${n(r)}" cy="${n(r)}" r="${n(r - ring / 2)}" fill="none" stroke="${SEAL_RED}" stroke-width="${n(ring)}"/>` +
    `<path d="${star}" fill="${SEAL_RED}"/>` +
    `<g fill="${SEAL_RED}" font-family="${FONT_FAMILY}, Noto Sans SC, Noto Sans CJK SC, sans-serif" font-weight="700" font-size="${n(fontSize)}" text-anchor="middle">${name}${labelText}</g>` +
    `</svg>`
  );
}

function starPath(cx: number, cy: number, outer: number, inner: number): string {
  const points: string[] = [];
  for (let i = 0; i < 10; i++) {
    const rad = ((i * 36 - 90) * Math.PI) / 180;
    const len = i % 2 === 0 ? outer : inner;
    points.push(`${n(cx + len * Math.cos(rad))} ${n(cy + len * Math.sin(rad))}`);
  }
  return `M${points.join('L')}Z`;
}

export interface PngImage {
  png: Buffer;
  width: number;
  height: number;
}

/** Renders the SVG at `dpi` (default 300, print quality) on a transparent background. */
export function sealPng(svg: string, diameterMm: number, dpi = 300): PngImage {
  if (!(dpi >= 72 && dpi <= 1200)) throw new RangeError('dpi must be between 72 and 1200');
  const px = Math.round((diameterMm / 25.4) * dpi);
  const out = new Resvg(svg, {
    fitTo: { mode: 'width', value: px },
    font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  }).render();
  return { png: Buffer.from(out.asPng()), width: out.width, height: out.height };
}

export const UPLOAD_LIMITS = { maxBytes: 1024 * 1024, minPixels: 200, maxPixels: 4000, maxAspect: 2 } as const;

export type PngProblem = 'too_large' | 'not_png' | 'corrupt' | 'too_small' | 'dimensions';

export class SealImageError extends Error {
  readonly problem: PngProblem;
  constructor(problem: PngProblem, message: string) {
    super(message);
    this.name = 'SealImageError';
    this.problem = problem;
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Checks an uploaded seal picture by content, not by name or declared type: PNG signature,
 * IHDR first, every chunk's length and CRC, IDAT present, IEND last with nothing after it,
 * and the size limits. Returns the image's pixel size.
 */
export function acceptUploadedPng(data: Buffer): PngImage {
  if (data.length > UPLOAD_LIMITS.maxBytes) throw new SealImageError('too_large', `印章图片不能超过 ${UPLOAD_LIMITS.maxBytes / 1024} KB`);
  if (data.length < 8 + 25 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) throw new SealImageError('not_png', '印章图片须为 PNG 格式');
  let at = 8;
  let width = 0;
  let height = 0;
  let sawIdat = false;
  let first = true;
  for (;;) {
    if (at + 12 > data.length) throw new SealImageError('corrupt', 'PNG 文件不完整');
    const len = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    if (len > data.length - at - 12) throw new SealImageError('corrupt', 'PNG 文件不完整');
    const body = data.subarray(at + 8, at + 8 + len);
    if ((crc32(body, crc32(data.subarray(at + 4, at + 8))) >>> 0) !== data.readUInt32BE(at + 8 + len)) throw new SealImageError('corrupt', `PNG 数据块 ${type.replace(/[^A-Za-z]/g, '?')} 校验失败`);
    if (first) {
      if (type !== 'IHDR' || len !== 13) throw new SealImageError('corrupt', 'PNG 文件头缺失');
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      first = false;
    } else if (type === 'IDAT') sawIdat = true;
    at += 12 + len;
    if (type === 'IEND') break;
  }
  if (!sawIdat) throw new SealImageError('corrupt', 'PNG 文件没有图像数据');
  if (at !== data.length) throw new SealImageError('corrupt', 'PNG 文件结尾后还有多余数据');
  const { minPixels, maxPixels, maxAspect } = UPLOAD_LIMITS;
  if (Math.min(width, height) < minPixels) throw new SealImageError('too_small', `印章图片至少 ${minPixels}×${minPixels} 像素`);
  if (Math.max(width, height) > maxPixels || Math.max(width, height) / Math.min(width, height) > maxAspect) {
    throw new SealImageError('dimensions', `印章图片不能超过 ${maxPixels} 像素，长宽比不超过 ${maxAspect}`);
  }
  return { png: data, width, height };
}
