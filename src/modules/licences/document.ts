// The licence file: an A4 PDF face (GB/T 36905 asks for OFD; PDF is what the platform's
// e-seal signs today) with the type's title, its fields in schema order, the identifier and
// validity, and a QR code carrying the seal-signed payload (qr.ts) inside the verification
// address; then stamped and signed with the same seal, and put in the FileStore (by SHA-256).
// The QR claims are signed first, so the face can print them; the token also goes into the
// PDF's Info dictionary (YWLicenceQR) so an uploaded PDF carries its offline-verifiable claims.
//
// Signing goes through the seals module's SigningService with a system staff actor of the
// issuing organisation (`licence-issuer`): it checks that the seal is valid and belongs to
// that organisation, records the signature (seal_signature + audit) like any other, and runs
// on whatever database handle it is given, so inside an outbox handler it joins the event's
// transaction.
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Config } from '../../config.ts';
import type { Db, Queryable } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/http/access.ts';
import type { FileStore } from '../../platform/files/index.ts';
import { chinaDate } from '../../platform/calendar/dates.ts';
import { cjkFont, pdfBytes } from '../../platform/pdf/cjk.ts';
import { signingServiceFor } from '../seals/index.ts';
import { assembleToken, claimsFor, encodeClaims, qrUrl, type LicenceFace } from './qr.ts';
import { labelled } from './data.ts';


export type FaceInput = LicenceFace;

/** Info dictionary key holding the QR token (ASCII, so a literal PDF string). */
export const PDF_QR_KEY = 'YWLicenceQR';

export function verificationUrl(publicUrl: string, identifier: string): string {
  return `${publicUrl.replace(/\/$/, '')}/licences/verify?id=${encodeURIComponent(identifier)}`;
}

/** The face with `qrText` (the verification URL with the token) as its QR code; `token` goes in the Info dictionary. */
export async function renderLicencePdf(input: FaceInput, qr: { text: string; token: string }): Promise<Buffer> {
  const qrPng = await QRCode.toBuffer(qr.text, { errorCorrectionLevel: 'L', margin: 1, type: 'png', width: 360 });
  const info = { Title: input.type.template.title, Subject: input.identifier, Author: input.issuerName, Creator: '一网通办', [PDF_QR_KEY]: qr.token };
  const doc = new PDFDocument({ size: 'A4', margins: { top: 64, bottom: 56, left: 64, right: 64 }, info: info as PDFKit.DocumentInfo, lang: 'zh-CN' });
  const done = pdfBytes(doc);
  doc.registerFont('cjk', cjkFont('regular'));
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
  const qrSize = 120;
  doc.image(qrPng, left, doc.page.height - 220, { width: qrSize, height: qrSize });
  doc.fontSize(8).fillColor('#4b5563').text('扫码核验', left, doc.page.height - 96, { width: qrSize, align: 'center' });
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

export type ProduceDeps = { db: Queryable; config: Pick<Config, 'nodeRegionCode' | 'env' | 'secrets' | 'publicUrl'>; files: FileStore };

export interface ProducedFile {
  sha256: string;
  esId: string;
  pdf: Buffer;
  /** The QR token printed on the face and kept in the PDF metadata. */
  qr: string;
}

async function issuerSeal(deps: ProduceDeps, org: { id: string; regionCode: string }) {
  const signing = signingServiceFor({ db: deps.db as Db, config: deps.config as Config });
  const actor = issuerActor(org);
  const seals = await signing.sealsFor(actor);
  if (seals.length === 0) throw new NoValidSeal('发证机关没有有效的电子印章');
  return { signing, actor, esId: seals[0]!.esId };
}

function claimsOf(face: FaceInput, certificate: Buffer, issuedOn: string) {
  return encodeClaims(claimsFor({ type: face.type, data: face.data, identifier: face.identifier, issuerName: face.issuerName, validFrom: face.validFrom, validUntil: face.validUntil, issuedOn, signerCertificate: certificate }));
}

const docName = (face: FaceInput): string => `${face.type.name} ${face.identifier}`.slice(0, 255);

/**
 * Signs the QR claims with the organisation's valid seal, renders the face with that QR,
 * signs the PDF with the same seal and stores it; on `db` (a transaction or the database).
 */
export async function produceLicenceFile(deps: ProduceDeps, org: { id: string; regionCode: string }, face: FaceInput): Promise<ProducedFile> {
  const { signing, actor, esId } = await issuerSeal(deps, org);
  // The claims name the signer certificate (kid), so they are built once it is known.
  let claimsPart = '';
  const { signature } = await signing.signMessage(actor, esId, (certificate) => {
    const encoded = claimsOf(face, certificate, chinaDate());
    claimsPart = encoded.claimsPart;
    return encoded.signed;
  });
  const token = assembleToken(claimsPart, signature);
  const pdf = await renderLicencePdf(face, { text: qrUrl(deps.config.publicUrl, token), token });
  const out = await signing.sign(actor, { esId, pdf, placement: { page: 1, ...face.type.template.seal }, name: docName(face) });
  const stored = await deps.files.put(out.signedPdf);
  return { sha256: stored.sha256, esId, pdf: out.signedPdf, qr: token };
}

export type ProducedResult = ({ ok: true } & ProducedFile) | { ok: false; identifier: string; error: string };

/**
 * Batch variant for historical import: one seal preparation for all QR payloads and one for
 * all PDFs (SigningService.signMessages / signMany); each face succeeds or fails on its own,
 * results in input order. Throws NoValidSeal when the organisation has no valid seal.
 */
export async function produceLicenceFiles(deps: ProduceDeps, org: { id: string; regionCode: string }, faces: FaceInput[]): Promise<ProducedResult[]> {
  if (faces.length === 0) return [];
  const { signing, actor, esId } = await issuerSeal(deps, org);
  const issuedOn = chinaDate();
  let encoded: ReturnType<typeof claimsOf>[] = [];
  const { signatures } = await signing.signMessages(actor, esId, (certificate) => {
    encoded = faces.map((face) => claimsOf(face, certificate, issuedOn));
    return encoded.map((e) => e.signed);
  });
  const tokens = encoded.map((e, i) => assembleToken(e.claimsPart, signatures[i]!));
  const pdfs = await Promise.all(faces.map((face, i) => renderLicencePdf(face, { text: qrUrl(deps.config.publicUrl, tokens[i]!), token: tokens[i]! })));
  const results = await signing.signMany(actor, esId, faces.map((face, i) => ({ name: docName(face), pdf: pdfs[i]!, placement: { page: 1, ...face.type.template.seal } })));
  const out: ProducedResult[] = [];
  for (const [i, r] of results.entries()) {
    if (!r.ok) {
      out.push({ ok: false, identifier: faces[i]!.identifier, error: r.error });
      continue;
    }
    const stored = await deps.files.put(r.signed.signedPdf);
    out.push({ ok: true, sha256: stored.sha256, esId, pdf: r.signed.signedPdf, qr: tokens[i]! });
  }
  return out;
}

/**
 * The QR token a licence PDF carries in its Info dictionary, or null. Reads the first
 * occurrence: the one pdfkit wrote, inside the bytes the seal signature covers (a later
 * incremental update cannot replace it without failing the signature check).
 */
export function qrTextFromPdf(pdf: Buffer): string | null {
  const text = pdf.toString('latin1');
  const token = String.raw`(YWL[0-9]+\.[A-Za-z0-9_.-]{1,1600})`;
  const direct = new RegExp(String.raw`/${PDF_QR_KEY}\s*\(${token}\)`).exec(text);
  if (direct) return direct[1]!;
  // pdfkit writes Info values as indirect objects: /YWLicenceQR 13 0 R … 13 0 obj (YWL1.…) endobj
  const ref = new RegExp(String.raw`/${PDF_QR_KEY}\s+(\d+)\s+(\d+)\s+R`).exec(text);
  if (!ref) return null;
  const obj = new RegExp(String.raw`(?:^|[\r\n])${ref[1]}\s+${ref[2]}\s+obj\s*\(${token}\)\s*endobj`).exec(text);
  return obj ? obj[1]! : null;
}
