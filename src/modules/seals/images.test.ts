import assert from 'node:assert/strict';
import { deflateSync, crc32 } from 'node:zlib';
import { describe, test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import { acceptUploadedPng, SealImageError, sealPng, sealSvg, SEAL_DIAMETER_MM } from './images.ts';

function inked(svg: string): number {
  const out = new Resvg(svg, { fitTo: { mode: 'width', value: 300 }, font: { loadSystemFonts: false } }).render();
  return out.pixels.filter((_, i) => i % 4 === 3).reduce((sum, a) => sum + (a > 128 ? 1 : 0), 0);
}

function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body, crc32(Buffer.from(type, 'latin1'))) >>> 0);
  return Buffer.concat([head, body, crc]);
}

function makePng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc((width * 4 + 1) * height);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

describe('seal images', () => {
  test('SVG: ring, star, each character of the name along the arc, the kind under the star, sized per kind', () => {
    const svg = sealSvg({ kind: 'business', orgName: '南京市市场监督管理局' });
    assert.match(svg, /^<svg [^>]*width="40mm" height="40mm" viewBox="0 0 40 40"/);
    assert.match(svg, /<circle [^>]*stroke="#d7000f"/);
    assert.match(svg, /<path d="M[^"]+Z" fill="#d7000f"\/>/);
    assert.equal((svg.match(/<text [^>]*transform="rotate\(/g) ?? []).length, 10);
    assert.match(svg, />业务专用章<\/text>/);
    assert.match(sealSvg({ kind: 'official', orgName: '南京市人民政府' }), /width="42mm"/);
    assert.doesNotMatch(sealSvg({ kind: 'official', orgName: '南京市人民政府' }), /专用章/);
    assert.match(sealSvg({ kind: 'business', orgName: 'A&B<局>' }), />A<\/text>.*>&amp;<\/text>.*>&lt;<\/text>/);
    assert.throws(() => sealSvg({ kind: 'official', orgName: '  ' }), RangeError);
  });

  test('PNG: a real PNG at the requested DPI, and the Chinese text is actually drawn', () => {
    const svg = sealSvg({ kind: 'official', orgName: '江苏省人民政府办公厅' });
    const img = sealPng(svg, SEAL_DIAMETER_MM.official, 300);
    assert.deepEqual(img.png.subarray(0, 8), Buffer.from('89504e470d0a1a0a', 'hex'));
    const px = Math.round((42 / 25.4) * 300);
    assert.equal(img.png.readUInt32BE(16), px);
    assert.equal(img.png.readUInt32BE(20), px);
    assert.deepEqual([img.width, img.height], [px, px]);
    assert.equal(sealPng(svg, 42, 150).width, Math.round((42 / 25.4) * 150));
    assert.deepEqual(acceptUploadedPng(img.png).width, px, 'our own output passes the upload check');
    // Rendering with the bundled font must draw more ink than the same seal without text.
    const noText = svg.replace(/<text [^>]*>[^<]*<\/text>/g, '');
    const fromPng = new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="300" height="300"><image width="300" height="300" href="data:image/png;base64,${img.png.toString('base64')}"/></svg>`).render();
    const inkPng = fromPng.pixels.filter((_, i) => i % 4 === 3).reduce((sum, a) => sum + (a > 128 ? 1 : 0), 0);
    assert.ok(inkPng > inked(noText) * 1.3, `text adds ink (${inkPng} vs ${inked(noText)})`);
    assert.throws(() => sealPng(svg, 42, 20), RangeError);
  });

  test('upload: accepts a well-formed PNG, refuses other content, corruption and bad sizes', () => {
    assert.deepEqual(acceptUploadedPng(makePng(400, 400)).height, 400);
    const problem = (data: Buffer) => {
      try {
        acceptUploadedPng(data);
        return 'accepted';
      } catch (err) {
        assert.ok(err instanceof SealImageError);
        return err.problem;
      }
    };
    const good = makePng(400, 300);
    assert.equal(problem(Buffer.from('GIF89a' + 'x'.repeat(100))), 'not_png');
    assert.equal(problem(Buffer.concat([Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), Buffer.alloc(40)])), 'not_png');
    assert.equal(problem(good.subarray(0, good.length - 6)), 'corrupt');
    assert.equal(problem(Buffer.concat([good, Buffer.from('<script>')])), 'corrupt');
    const flipped = Buffer.from(good);
    flipped[40] = flipped[40]! ^ 0xff;
    assert.equal(problem(flipped), 'corrupt');
    assert.equal(problem(makePng(100, 100)), 'too_small');
    assert.equal(problem(makePng(4001, 4000)), 'dimensions');
    assert.equal(problem(makePng(900, 300)), 'dimensions');
    assert.equal(problem(Buffer.alloc(1024 * 1024 + 1)), 'too_large');
  });
});
