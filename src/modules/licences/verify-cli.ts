// `npm run cli -- licence:verify <二维码内容|网址|文件> [--trust dir]`: 离线核验 without a server.
// A file is a licence PDF (seal signature checked against the roots, then the QR token in
// its metadata against the bundles) or a text file holding the token. --trust holds root
// certificates (*.pem/*.der/*.cer/*.crt) and bundle files (*.json, as downloaded from
// /licences/trust-bundle); without it this node's database gives its trusted roots and its
// live bundle. Exit codes: 0 valid, 1 not valid, 2 usage or unreadable input.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CliContext, Command } from '../../cli.ts';
import { publishBundle, verifyBundle } from './bundle.ts';
import { qrTextFromPdf } from './document.ts';
import { trustAnchors, trustFromDir, verifyDocument } from '../seals/index.ts';
import { statusWords, verifyQrOffline, type LicenceVerification, type OfflineTrust } from './verification.ts';

export const LICENCE_VERIFY_USAGE = 'licence:verify <二维码内容|网址|文件> [--trust 信任目录]';

export async function trustFromBundleDir(dir: string): Promise<Omit<OfflineTrust, 'now'>> {
  const roots = (await trustFromDir(dir)).trustAnchors;
  const bundles: unknown[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (path.extname(name).toLowerCase() !== '.json') continue;
    const text = await readFile(path.join(dir, name), 'utf8');
    try {
      bundles.push(JSON.parse(text));
    } catch {
      throw new Error(`${name} 不是有效的 JSON 信任包`);
    }
  }
  return { roots, bundles };
}

export function describeVerification(r: LicenceVerification): string[] {
  const words = statusWords(r);
  if (!r.ok) return [`无效：${r.message}`, `  代码 ${r.code}`];
  const l = r.licence;
  return [
    `${r.status === 'valid' ? '有效' : '无效'}：证照状态 ${words.text}${r.since ? `（${r.since} 起）` : ''}`,
    `  证照 ${l.typeName} ${l.identifier}`,
    ...(l.holderName ? [`  持证人 ${l.holderName}（${l.holderCode}）`] : []),
    `  发证机关 ${l.issuerName}（${l.issuerUscc}）`,
    `  有效期 ${l.validFrom} 至 ${l.validUntil ?? '长期'}`,
    ...(r.signer ? [`  签发印章 ${r.signer.orgName}（${r.signer.esId}），发证地 ${r.signer.regionCode}`] : []),
    ...(r.warnings.includes('bundle_stale') ? ['  警告：信任包已过更新期限，证照状态可能不是最新的，请重新下载'] : []),
  ];
}

type Input = { kind: 'token'; text: string } | { kind: 'pdf'; bytes: Buffer };

async function readInput(arg: string): Promise<Input> {
  if (/^(YWL\d|https?:\/\/)/i.test(arg.trim())) return { kind: 'token', text: arg };
  await stat(arg);
  const bytes = await readFile(arg);
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return { kind: 'pdf', bytes };
  return { kind: 'token', text: bytes.toString('utf8').trim() };
}

/** A PDF: the seal signature offline, then the token it carries, signed by the same seal. */
async function verifyPdfOffline(pdf: Buffer, trust: OfflineTrust): Promise<LicenceVerification> {
  const intermediates = trust.bundles.flatMap((b) => {
    const c = verifyBundle(b, { roots: trust.roots, now: trust.now });
    return c.valid ? c.bundle.intermediates.map((d) => Buffer.from(d, 'base64')) : [];
  });
  const seal = await verifyDocument(pdf, { trustAnchors: trust.roots, intermediates });
  if (!seal.valid) return { ok: false, code: 'pdf_invalid', message: `电子签章无效：${seal.reason.message}` };
  const token = qrTextFromPdf(pdf);
  if (!token) return { ok: false, code: 'pdf_not_licence', message: '该文件签章有效，但不是电子证照（没有证照二维码数据）' };
  const r = verifyQrOffline(token, trust);
  if (r.ok && r.signer && r.signer.esId !== seal.seal.esId) return { ok: false, code: 'pdf_mismatch', message: '文件的签章印章与证照二维码的签发印章不一致' };
  return r;
}

export async function runLicenceVerify(args: string[], out: (line: string) => void, nodeTrust?: () => Promise<Omit<OfflineTrust, 'now'>>, now = new Date()): Promise<number> {
  let subject: string | undefined;
  let trustDir: string | undefined;
  let extra = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--trust') trustDir = args[++i];
    else if (!subject && !args[i]!.startsWith('--')) subject = args[i];
    else extra = true;
  }
  if (!subject || extra || (args.includes('--trust') && !trustDir)) {
    out(`用法: npm run cli -- ${LICENCE_VERIFY_USAGE}`);
    return 2;
  }
  let input: Input;
  let trust: Omit<OfflineTrust, 'now'>;
  try {
    input = await readInput(subject);
    if (trustDir) trust = await trustFromBundleDir(trustDir);
    else if (nodeTrust) trust = await nodeTrust();
    else {
      out('未指定 --trust 信任目录，也无法读取本节点的信任包');
      return 2;
    }
  } catch (err) {
    out(`无法读取：${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  if (trust.roots.length === 0) out('警告：没有信任的根证书，任何证照都不会被判定为有效');
  if (trust.bundles.length === 0) out('警告：没有信任包（*.json），无法确认任何发证机关');
  const result = input.kind === 'pdf' ? await verifyPdfOffline(input.bytes, { ...trust, now }) : verifyQrOffline(input.text, { ...trust, now });
  for (const line of describeVerification(result)) out(line);
  return result.ok && result.status === 'valid' ? 0 : 1;
}

export const licenceCommands: Record<string, Command> = {
  'licence:verify': {
    usage: LICENCE_VERIFY_USAGE,
    summary: '离线核验电子证照：二维码内容、网址或证照 PDF（根证书与信任包取自 --trust 目录，缺省为本节点）',
    async run(args: string[], ctx: CliContext) {
      return runLicenceVerify(args, ctx.out, async () => {
        const { db } = await ctx.database();
        const node = { db, config: ctx.config };
        return { roots: await trustAnchors(node), bundles: [await publishBundle(node)] };
      });
    },
  },
};
