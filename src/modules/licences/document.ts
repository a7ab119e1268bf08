// The licence file: an A4 PDF face (GB/T 36905 asks for OFD; PDF is what the platform's
// e-seal signs today) with the type's title, its fields in schema order, the identifier and
// validity, and a QR code of the verification address; then stamped and signed with a valid
// seal of the issuing organisation, and put in the FileStore (named by SHA-256).
//
// Signing goes through the seals module's SigningService with a system staff actor of the
// issuing organisation (`licence-issuer`): it checks that the seal is valid and belongs to
// that organisation, records the signature (seal_signature + audit) like any other, and runs
// on whatever database handle it is given, so inside an outbox handler it joins the event's
// transaction.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Config } from '../../config.ts';
import type { Db, Queryable } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/http/access.ts';
import type { FileStore } from '../../platform/files/index.ts';
import { signingServiceFor } from '../seals/index.ts';
import type { LicenceType } from './catalogue.ts';
import { labelled, type LicenceData } from './data.ts';

const FONT_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');
let font: Buffer | null = null;

export interface FaceInput {
  type: LicenceType;
  data: LicenceData;
  identifier: string;
  issuerName: string;
  validFrom: string;
  validUntil: string | null;
  verifyUrl: string;
}

export function verificationUrl(publicUrl: string, identifier: string): string {
  return `${publicUrl.replace(/\/$/, '')}/licences/verify?id=${encodeURIComponent(identifier)}`;
}

export async function renderLicencePdf(input: FaceInput): Promise<Buffer> {
  font ??= readFileSync(path.join(FONT_DIR, 'NotoSansHans-Regular.otf'));
  const qr = await QRCode.toBuffer(input.verifyUrl, { errorCorrectionLevel: 'M', margin: 1, type: 'png', width: 240 });
  const doc = new PDFDocument({ size: 'A4', margins: { top: 64, bottom: 56, left: 64, right: 64 }, info: { Title: input.type.template.title, Subject: input.identifier, Author: input.issuerName, Creator: '一网通办' }, lang: 'zh-CN' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.font('cjk').fontSize(26).fillColor('#1b1f24').text(input.type.template.title, left, 72, { width, align: 'center' });
  doc.fontSize(9).fillColor('#4b5563').text(`证照标识：${input.identifier}`, left, 118, { width, align: 'center' });
  let y = 160;
  for (const row of labelled(input.type, input.data)) {
    doc.fontSize(12).fillColor('#4b5563').text(row.label, left, y, { width: 150 });
    doc.fillColor('#1b1f24').text(row.value, left + 160, y, { width: width - 160 });
    y = Math.max(doc.y, y + 18) + 10;
  }
  doc.fontSize(12).fillColor('#4b5563').text('有效期', left, y, { width: 150 });
  doc.fillColor('#1b1f24').text(`${input.validFrom} 至 ${input.validUntil ?? '长期'}`, left + 160, y, { width: width - 160 });
  const qrSize = 100;
  doc.image(qr, left, doc.page.height - 220, { width: qrSize, height: qrSize });
  doc.fontSize(8).fillColor('#4b5563').text('扫码核验', left, doc.page.height - 116, { width: qrSize, align: 'center' });
  doc.fontSize(12).fillColor('#1b1f24').text(input.issuerName, left + width - 220, doc.page.height - 200, { width: 220, align: 'center' });
  doc.text(`${input.validFrom}`, left + width - 220, doc.page.height - 180, { width: 220, align: 'center' });
  doc.end();
  return done;
}

/** The system operator of signatures the platform makes for an organisation's licences. */
export function issuerActor(org: { id: string; regionCode: string }): Actor {
  return { kind: 'staff', accountId: 'licence-issuer', displayName: '电子证照签发', roles: [], orgId: org.id, regionCode: org.regionCode, sessionId: 'licence-issuer', mustChangePassword: false };
}

export class NoValidSeal extends Error {}

/** Renders, signs with the organisation's valid seal and stores; on `db` (a transaction or the database). */
export async function produceLicenceFile(
  deps: { db: Queryable; config: Pick<Config, 'nodeRegionCode' | 'env' | 'secrets' | 'publicUrl'>; files: FileStore },
  org: { id: string; regionCode: string },
  face: FaceInput,
): Promise<{ sha256: string; esId: string; pdf: Buffer }> {
  const signing = signingServiceFor({ db: deps.db as Db, config: deps.config as Config });
  const actor = issuerActor(org);
  const seals = await signing.sealsFor(actor);
  if (seals.length === 0) throw new NoValidSeal('发证机关没有有效的电子印章');
  const pdf = await renderLicencePdf(face);
  const signed = await signing.sign(actor, { esId: seals[0]!.esId, pdf, placement: { page: 1, ...face.type.template.seal }, name: `${face.type.name} ${face.identifier}`.slice(0, 255) });
  const stored = await deps.files.put(signed.signedPdf);
  return { sha256: stored.sha256, esId: seals[0]!.esId, pdf: signed.signedPdf };
}
