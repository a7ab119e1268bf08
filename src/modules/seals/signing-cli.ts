// `npm run cli -- seal:verify <file> [--sig file] [--trust dir]`: verification without a
// server. Trust anchors come from --trust (every .pem/.cer/.crt/.der certificate in the
// directory; .crl files there are used as CRLs), else from this node's CA in the database.
// Also runnable directly (`node src/modules/seals/signing-cli.ts seal:verify …`).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliContext, Command } from '../../cli.ts';
import { certificateFromPem } from '../../platform/crypto/x509/index.ts';
import { caServiceOn } from './ca/index.ts';
import { verifyDocument, type VerificationResult, type VerifyOptions } from './verification.ts';

export const SEAL_VERIFY_USAGE = 'seal:verify <文件> [--sig 签章文件] [--trust 证书目录]';

function pemOrDer(bytes: Buffer, label: 'CERTIFICATE' | 'X509 CRL'): Buffer {
  const text = bytes.subarray(0, 64).toString('latin1');
  if (!text.includes('-----BEGIN')) return bytes;
  if (label === 'CERTIFICATE') return certificateFromPem(bytes.toString('latin1'));
  const m = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(bytes.toString('latin1'));
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : bytes;
}

export async function trustFromDir(dir: string): Promise<Pick<VerifyOptions, 'trustAnchors' | 'crls'>> {
  const trustAnchors: Buffer[] = [];
  const crls: Buffer[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const ext = path.extname(name).toLowerCase();
    const bytes = await readFile(path.join(dir, name));
    if (ext === '.crl') crls.push(pemOrDer(bytes, 'X509 CRL'));
    else if (['.pem', '.cer', '.crt', '.der'].includes(ext)) trustAnchors.push(pemOrDer(bytes, 'CERTIFICATE'));
  }
  return { trustAnchors, crls };
}

export function describeResult(r: VerificationResult): string[] {
  if (!r.valid) return [`无效：${r.reason.message}`, ...(r.reason.detail ? [`  ${r.reason.detail}`] : []), `  代码 ${r.reason.code}`];
  return [
    '有效：文档自签章以来未被改动，印章和证书在签章时有效',
    `  印章 ${r.seal.name}（${r.seal.esId}）`,
    `  签章人 ${r.signer.subject}`,
    `  签章时间 ${r.time.toISOString()}（${r.timeSource === 'timestamp' ? '时间戳' : '签章人自报'}）`,
    ...(r.byteRange ? [`  签名覆盖字节 [${r.byteRange[0]}, ${r.byteRange[1]})`] : []),
  ];
}

/** Exit codes: 0 valid, 1 invalid, 2 usage or unreadable input. */
export async function runSealVerify(args: string[], out: (line: string) => void, nodeTrust?: () => Promise<Pick<VerifyOptions, 'trustAnchors' | 'intermediates' | 'crls'>>): Promise<number> {
  let file: string | undefined;
  let sig: string | undefined;
  let trust: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--sig') sig = args[++i];
    else if (a === '--trust') trust = args[++i];
    else if (!file && !a.startsWith('--')) file = a;
    else file = undefined;
  }
  if (!file || (args.includes('--sig') && !sig) || (args.includes('--trust') && !trust)) {
    out(`用法: npm run cli -- ${SEAL_VERIFY_USAGE}`);
    return 2;
  }
  let options: VerifyOptions;
  let input;
  try {
    const pdf = await readFile(file);
    input = sig ? { pdf, sig: await readFile(sig) } : pdf;
    if (trust) options = await trustFromDir(trust);
    else if (nodeTrust) options = await nodeTrust();
    else {
      out('未指定 --trust 证书目录，也无法读取本节点的 CA 证书');
      return 2;
    }
  } catch (err) {
    out(`无法读取文件：${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  if (options.trustAnchors.length === 0) out('警告：没有信任的根证书，任何签章都不会被判定为有效');
  const result = await verifyDocument(input, options);
  for (const line of describeResult(result)) out(line);
  return result.valid ? 0 : 1;
}

export const sealCommands: Record<string, Command> = {
  'seal:verify': {
    usage: SEAL_VERIFY_USAGE,
    summary: '离线验章：检查 PDF 的电子签章（信任锚取自 --trust 目录，缺省为本节点 CA 证书）',
    migrate: false,
    async run(args: string[], ctx: CliContext) {
      return runSealVerify(args, ctx.out, async () => {
        // Only the exported CA certificates are read; nothing is signed or changed.
        const { db } = await ctx.database();
        const ca = caServiceOn(db, ctx.config);
        return { trustAnchors: [await ca.caCertificate('root')], intermediates: [await ca.caCertificate('issuing')] };
      });
    },
  },
};

if (import.meta.main) {
  const [name, ...rest] = process.argv.slice(2);
  if (name !== 'seal:verify') {
    console.log(`用法: node src/modules/seals/signing-cli.ts ${SEAL_VERIFY_USAGE}`);
    process.exitCode = 2;
  } else process.exitCode = await runSealVerify(rest, (line) => console.log(line));
}
