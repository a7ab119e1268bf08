// QR codes of a guide's mobile address, for the page (SVG) and the printed PDF (PNG).
import QRCode from 'qrcode';

const OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 2 };

export async function qrSvg(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { ...OPTIONS, type: 'svg' });
  // A name for assistive technology when the SVG is opened on its own.
  return svg.replace('<svg ', '<svg role="img" aria-label="办事指南二维码" ');
}

export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { ...OPTIONS, type: 'png', width: 300 });
}
