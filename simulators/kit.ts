// What every simulated upstream shares: its failure switch (normal/slow/fail/down/garbage),
// client-signature checks on requests, SM2 signatures on responses, and the dev-page shell.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { sm2Sign } from '../src/platform/crypto/sm2.ts';
import { createRequestVerifier, HEADER, responseSigningInput } from './signing.ts';

export const SERVICES = ['publicSecurity', 'carrier', 'bankCard', 'face', 'sms', 'businessLicence', 'courier'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const MODES = ['normal', 'slow', 'fail', 'down', 'garbage'] as const;
export type Mode = (typeof MODES)[number];

export const SERVICE_LABELS: Record<ServiceName, string> = {
  publicSecurity: '公安人口库 姓名+身份证号核验',
  carrier: '运营商 三要素核验',
  bankCard: '银行卡 四要素核验',
  face: '人脸比对与活体检测',
  sms: '短信网关',
  businessLicence: '市场监管 电子营业执照',
  courier: '快递公司 邮寄送达',
};

/** 'slow' waits this long unless told otherwise: beyond any sensible client timeout. */
export const DEFAULT_SLOW_MS = 10_000;

export interface ServiceMode {
  mode: Mode;
  delayMs: number;
}

export interface SimContext {
  servicePrivateKey: string;
  servicePublicKey: string;
  modes: Record<ServiceName, ServiceMode>;
  verifier: ReturnType<typeof createRequestVerifier>;
  /** Aborted when the server closes, so delayed answers do not hold it open. */
  closing: AbortController;
  now(): number;
}

const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/** JSON and form bodies are kept raw too: request signatures cover the exact bytes. */
export function registerBodyParsers(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    rawBodies.set(req, body);
    try {
      done(null, body.length ? JSON.parse(body.toString('utf8')) : {});
    } catch {
      done(Object.assign(new Error('invalid JSON body'), { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body: string, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body)));
  });
}

export interface ApiRoute<B> {
  method: HTTPMethods;
  url: string;
  service: ServiceName;
  /** Whether the caller must sign the request (dev conveniences such as the mailbox JSON need not). */
  signedRequest?: boolean;
  schema?: object;
  handler(request: FastifyRequest<{ Body: B; Querystring: Record<string, string>; Params: Record<string, string> }>, reply: FastifyReply): Promise<unknown>;
}

/** Registers an upstream API route: failure mode → client signature → handler → signed answer. */
export function apiRoute<B>(app: FastifyInstance, sim: SimContext, route: ApiRoute<B>): void {
  app.route({
    method: route.method,
    url: route.url,
    schema: route.schema,
    preHandler: async (request, reply) => {
      const { mode, delayMs } = sim.modes[route.service];
      if (mode === 'down') {
        // Like a dead upstream behind a load balancer: the connection just drops.
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      if (mode === 'slow') await sleep(delayMs, undefined, { signal: sim.closing.signal }).catch(() => undefined);
      if (mode === 'fail') return reply.code(503).type('application/problem+json').send({ type: 'about:blank', title: '服务暂时不可用', status: 503, detail: 'upstream_unavailable' });
      if (route.signedRequest === false) return;
      const check = sim.verifier.check(request.method, request.url, request.headers, rawBodies.get(request) ?? Buffer.alloc(0));
      if (!check.ok) return reply.code(401).type('application/problem+json').send({ type: 'about:blank', title: '调用方身份验证失败', status: 401, detail: check.problem });
    },
    onSend: async (request, reply, payload) => {
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
      const nonce = typeof request.headers[HEADER.nonce] === 'string' ? (request.headers[HEADER.nonce] as string) : '';
      const timestamp = String(sim.now());
      const signature = sm2Sign(responseSigningInput(reply.statusCode, nonce, timestamp, body), sim.servicePrivateKey, { publicKey: sim.servicePublicKey });
      reply.header(HEADER.timestamp, timestamp).header(HEADER.nonce, nonce).header(HEADER.signature, signature.toString('base64'));
      if (sim.modes[route.service].mode !== 'garbage') return body;
      // Altered after signing, the way a broken proxy or an attacker would: the most harmful
      // edit available is turning a mismatch into a match, so do exactly that.
      const text = body.toString('utf8');
      return text.includes('"match":false') ? text.replace('"match":false', '"match":true') : text.replace(/}\s*$/, ',"tampered":true}');
    },
    handler: route.handler as never,
  });
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1d2129;background:#f5f7fa;line-height:1.6}
header{background:#8c1d18;color:#fff;padding:.75rem 1rem}header a{color:#fff}main{max-width:60rem;margin:0 auto;padding:1rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d9dde3;padding:.4rem .5rem;text-align:left;vertical-align:top}
.note{background:#fff7e6;border-left:4px solid #fa8c16;padding:.5rem .75rem}.error{background:#fff1f0;border-left:4px solid #cf1322;padding:.5rem .75rem}
label{display:block;margin:.5rem 0}button{font-size:1rem;padding:.4rem 1rem;background:#8c1d18;color:#fff;border:0;border-radius:4px}
input[type=password]{font-size:1.2rem;letter-spacing:.3em;width:10em}fieldset{background:#fff;border:1px solid #d9dde3;margin:1rem 0}
code{background:#eef1f5;padding:0 .25em}nav a{margin-right:1rem}`;

/** Dev pages: Chinese, no scripts, styles from /assets/sim.css only. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · 外部系统模拟器</title><link rel="stylesheet" href="/assets/sim.css"></head>
<body><header><strong>外部系统模拟器</strong>（仅供开发与测试，非真实系统）
<nav><a href="/">首页</a><a href="/sms/mailbox">短信收件箱</a><a href="/control/page">故障开关</a></nav></header>
<main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function registerAssets(app: FastifyInstance): void {
  app.get('/assets/sim.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(CSS));
}

/** Date-time shown on dev pages, Asia/Shanghai. */
export function shanghai(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}
