// Just enough PNG for the face simulator: write 8-bit RGB images and read back the common
// non-interlaced 8-bit forms (grey, grey+alpha, RGB, RGBA) as greyscale for comparison.
import { createHash } from 'node:crypto';
import { crc32, deflateSync, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export function encodeRgbPng(width: number, height: number, rgb: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const raw = Buffer.alloc(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export interface GreyImage {
  width: number;
  height: number;
  /** One byte per pixel, row-major. */
  grey: Uint8Array;
}

/** Decodes a PNG to greyscale, or returns null for anything this reader does not handle. */
export function decodePngGrey(png: Uint8Array): GreyImage | null {
  const buf = Buffer.from(png);
  if (buf.length < 33 || !buf.subarray(0, 8).equals(SIGNATURE)) return null;
  let at = 8;
  let width = 0, height = 0, colourType = -1;
  const idat: Buffer[] = [];
  while (at + 8 <= buf.length) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('ascii', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + len);
    if (data.length !== len) return null;
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) return null; // 8-bit, non-interlaced only
      colourType = data[9]!;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  const channels = ({ 0: 1, 4: 2, 2: 3, 6: 4 } as Record<number, number>)[colourType];
  if (!channels || width < 1 || height < 1 || width * height > 4_000_000) return null;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    return null;
  }
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) return null;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      let v = line[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) return null;
      pixels[y * stride + x] = v & 0xff;
    }
  }
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    grey[i] = channels >= 3 ? Math.round(0.299 * pixels[p]! + 0.587 * pixels[p + 1]! + 0.114 * pixels[p + 2]!) : pixels[p]!;
  }
  return { width, height, grey };
}

const SIZE = 96;

/**
 * The register photo of `idNumber`: a generated portrait-like picture (background, face,
 * hair, eyes, mouth) whose colours and proportions come from SM3(idNumber), so each person's
 * photo is stable and clearly different from anyone else's.
 */
export function facePhotoPng(idNumber: string): Buffer {
  const h = createHash('sm3').update(`face:${idNumber}`).digest();
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  const dark = [h[0]! % 70, h[1]! % 70, h[2]! % 70];
  const light = dark.map((v) => 185 + v);
  const skin = [180 + (h[3]! % 60), 130 + (h[4]! % 70), 100 + (h[5]! % 60)];
  const hair = [h[6]! % 90, h[7]! % 70, h[8]! % 60];
  const faceW = 26 + (h[9]! % 10), faceH = 32 + (h[10]! % 8), cy = 52 + (h[11]! % 6) - 3;
  const hairLine = cy - faceH + 8 + (h[12]! % 10);
  const eyeY = cy - 6 + (h[13]! % 6), eyeDx = 9 + (h[14]! % 5), eyeR = 3 + (h[15]! % 2);
  const mouthY = cy + 14 + (h[16]! % 6), mouthW = 6 + (h[17]! % 8);
  const stripes = 4 + (h[18]! % 12);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const dx = (x - 48) / faceW, dy = (y - cy) / faceH;
      // An 8×8 grid of light and dark tiles from the hash: independent between people.
      const bit = (Math.floor(y / 12) * 8 + Math.floor(x / 12) + stripes) % 256;
      let c = (h[bit >> 3]! >> (bit & 7)) & 1 ? light : dark;
      if (dx * dx + dy * dy <= 1) {
        c = y < hairLine ? hair : skin;
        if (Math.hypot(x - 48 + eyeDx, y - eyeY) <= eyeR || Math.hypot(x - 48 - eyeDx, y - eyeY) <= eyeR) c = [20, 20, 30];
        if (Math.abs(y - mouthY) <= 1 && Math.abs(x - 48) <= mouthW) c = [150, 40, 50];
      } else if (y > 84) c = hair.map((v) => v + 60);
      rgb.set(c, (y * SIZE + x) * 3);
    }
  }
  return encodeRgbPng(SIZE, SIZE, rgb);
}

/**
 * Similarity 0–100 between two greyscale images: the probe is resampled to the reference's
 * size and the score is their Pearson correlation, so re-encoding, brightness changes or mild
 * noise keep it high while a different picture falls towards 0.
 */
export function faceSimilarity(reference: GreyImage, probe: GreyImage): number {
  const n = reference.width * reference.height;
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let y = 0; y < reference.height; y++) {
    const py = Math.min(probe.height - 1, Math.floor((y * probe.height) / reference.height));
    for (let x = 0; x < reference.width; x++) {
      const px = Math.min(probe.width - 1, Math.floor((x * probe.width) / reference.width));
      const a = reference.grey[y * reference.width + x]!, b = probe.grey[py * probe.width + px]!;
      sa += a; sb += b; saa += a * a; sbb += b * b; sab += a * b;
    }
  }
  const cov = sab - (sa * sb) / n, va = saa - (sa * sa) / n, vb = sbb - (sb * sb) / n;
  if (va <= 0 || vb <= 0) return 0;
  return Math.max(0, Math.round((100 * cov) / Math.sqrt(va * vb)));
}
