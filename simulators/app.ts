// The simulators' Fastify app: every external system the platform cannot reach here, behind
// one process boundary, each with its own failure switch and SM2-signed answers.
import Fastify, { type FastifyInstance } from 'fastify';
import { DEMO_COMPANIES } from './companies.ts';
import { registerControl } from './control.ts';
import { registerCourier } from './courier.ts';
import { registerElementChecks } from './checks.ts';
import { registerFace } from './face.ts';
import { DEFAULT_SLOW_MS, SERVICES, escapeHtml, page, registerAssets, registerBodyParsers, type ServiceMode, type ServiceName, type SimContext } from './kit.ts';
import { registerLicence, type IssuerKeys } from './licence.ts';
import { DEMO_PEOPLE, createPopulationRegister, type PopulationRegister } from './population.ts';
import { createRequestVerifier } from './signing.ts';
import { registerSms, type SmsStore } from './sms.ts';

export interface SimulatorAppOptions {
  /** Signs every API response (the upstreams' transport key). */
  serviceKey: { privateKey: string; publicKey: string };
  /** Signs e-business-licence assertions (the issuer's own key). */
  issuerKey: IssuerKeys;
  /** Client id → SM2 public key (hex or PEM) of each platform allowed to call. */
  clients: Record<string, string>;
  livenessTtlMs?: number;
  log?: boolean;
  register?: PopulationRegister;
}

export interface SimulatorApp {
  app: FastifyInstance;
  sim: SimContext;
  sms: SmsStore;
}

export function buildSimulatorApp(options: SimulatorAppOptions): SimulatorApp {
  const app = Fastify({ logger: options.log ?? false, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });
  const sim: SimContext = {
    servicePrivateKey: options.serviceKey.privateKey,
    servicePublicKey: options.serviceKey.publicKey,
    modes: Object.fromEntries(SERVICES.map((s) => [s, { mode: 'normal', delayMs: DEFAULT_SLOW_MS }])) as Record<ServiceName, ServiceMode>,
    verifier: createRequestVerifier(options.clients),
    closing: new AbortController(),
    now: Date.now,
  };
  app.addHook('onClose', async () => sim.closing.abort());
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', "default-src 'none'; style-src 'self'; img-src 'self'; form-action *; frame-ancestors 'none'");
    }
    return payload;
  });
  registerBodyParsers(app);
  registerAssets(app);
  const register = options.register ?? createPopulationRegister();
  registerElementChecks(app, sim, register);
  registerFace(app, sim, register, options.livenessTtlMs ?? 120_000);
  const sms = registerSms(app, sim);
  registerLicence(app, sim, options.issuerKey);
  registerCourier(app, sim);
  registerControl(app, sim);
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(homePage(register.size)));
  return { app, sim, sms };
}

function homePage(populationSize: number): string {
  const people = DEMO_PEOPLE.map((p) => `<tr><td>${escapeHtml(p.name)}</td><td>${p.idNumber}</td><td>${p.mobile}</td><td>${p.bankCard}<br>${escapeHtml(p.bankName)}</td>
<td><a href="${p.photoPath}" download><img src="${p.photoPath}" width="48" height="48" alt="${escapeHtml(p.name)}的人口库照片"></a></td><td>${escapeHtml(p.note)}</td></tr>`).join('');
  const companies = DEMO_COMPANIES.map((c) => `<tr><td>${escapeHtml(c.name)}</td><td>${c.creditCode}</td><td>${escapeHtml(c.legalRepresentative.name)}</td>
<td>${c.licenceSerial}</td><td>${c.validFrom} 至 ${c.validUntil}</td><td>${escapeHtml(c.note)}</td></tr>`).join('');
  return page('外部系统模拟器', `<p class="note">模拟公安人口库、运营商、银行、人脸比对、短信网关和电子营业执照签发方。人口库共 ${populationSize} 人（含下列演示人员）。所有接口响应均由模拟器的 SM2 服务密钥签名；调用方须对请求签名。</p>
<h2>演示人员</h2><p>人脸比对时上传对应照片（点击照片下载）即可比对通过。</p>
<table><thead><tr><th scope="col">姓名</th><th scope="col">身份证号</th><th scope="col">手机号</th><th scope="col">银行卡</th><th scope="col">照片</th><th scope="col">说明</th></tr></thead><tbody>${people}</tbody></table>
<h2>演示企业</h2><p>电子营业执照 PIN 码均为 123456。</p>
<table><thead><tr><th scope="col">名称</th><th scope="col">统一社会信用代码</th><th scope="col">法定代表人</th><th scope="col">执照序列号</th><th scope="col">营业期限</th><th scope="col">说明</th></tr></thead><tbody>${companies}</tbody></table>`);
}
