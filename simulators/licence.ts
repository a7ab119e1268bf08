// The market-regulation e-business-licence issuer: the wallet page stands in for the
// 电子营业执照 app (pick a licence, confirm with the PIN, no JavaScript needed); it redirects
// back with an assertion signed by the issuer's own SM2 key, and the status API answers
// whether a licence has been revoked.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sm2Sign } from '../src/platform/crypto/sm2.ts';
import { DEMO_COMPANIES, companyBySerial, type DemoCompany } from './companies.ts';
import { apiRoute, escapeHtml, page, type SimContext } from './kit.ts';

export const ASSERTION_ISSUER = 'JS-SAMR-EBL-SIM';

export interface IssuerKeys {
  privateKey: string;
  publicKey: string;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** `base64url(payload JSON) + '.' + base64url(DER SM2 signature over the first part's ASCII)`. */
export function signAssertion(payload: object, keys: IssuerKeys): string {
  const body = b64url(JSON.stringify(payload));
  return `${body}.${b64url(sm2Sign(body, keys.privateKey, { publicKey: keys.publicKey }))}`;
}

const dayStart = (d: string) => `${d.slice(0, 10)}T00:00:00+08:00`;
const dayEnd = (d: string) => `${d.slice(0, 10)}T23:59:59+08:00`;

export function assertionPayload(company: DemoCompany, holderIdNumber: string, nonce: string, audience: string, issuedAt = new Date()) {
  const holder = company.holders.find((h) => h.person.idNumber === holderIdNumber);
  if (!holder) throw new Error('holder does not hold this licence');
  return {
    iss: ASSERTION_ISSUER, typ: 'ebl-login', nonce, aud: audience, issuedAt: issuedAt.toISOString(),
    licenceSerial: company.licenceSerial, creditCode: company.creditCode, companyName: company.name,
    legalRepresentative: { name: company.legalRepresentative.name, idNumber: company.legalRepresentative.idNumber },
    holder: { name: holder.person.name, idNumber: holder.person.idNumber, role: holder.role },
    validFrom: dayStart(company.validFrom), validUntil: dayEnd(company.validUntil),
  };
}

function validRequest(nonce: unknown, callback: unknown): { nonce: string; callback: URL } | null {
  if (typeof nonce !== 'string' || !/^[A-Za-z0-9_-]{8,128}$/.test(nonce) || typeof callback !== 'string') return null;
  try {
    const url = new URL(callback);
    return url.protocol === 'http:' || url.protocol === 'https:' ? { nonce, callback: url } : null;
  } catch {
    return null;
  }
}

function walletPage(reply: FastifyReply, nonce: string, callback: URL, error?: string, chosen?: string) {
  const options = DEMO_COMPANIES.flatMap((c) => c.holders.map((h) => {
    const value = `${c.licenceSerial}:${h.person.idNumber}`;
    const role = h.role === 'legal_representative' ? '法定代表人' : '经办人（持照人）';
    return `<label><input type="radio" name="holder" value="${value}" required${value === chosen ? ' checked' : ''}> ${escapeHtml(c.name)}<br>统一社会信用代码 ${c.creditCode} · ${escapeHtml(h.person.name)}（${role}）</label>`;
  })).join('');
  const body = `<p class="note">这是“电子营业执照”App 的模拟页面。<strong>${escapeHtml(callback.host)}</strong> 请求使用您的电子营业执照登录。演示 PIN 码：123456。</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/licence/authorize">
<input type="hidden" name="nonce" value="${escapeHtml(nonce)}"><input type="hidden" name="callback" value="${escapeHtml(callback.href)}">
<fieldset><legend>选择要使用的执照和持照人</legend>${options}</fieldset>
<label for="pin">执照 PIN 码（6 位数字）</label><input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="6" required>
<p><button type="submit" name="action" value="confirm">确认授权登录</button> <button type="submit" name="action" value="cancel" formnovalidate>取消</button></p>
</form>`;
  return reply.code(error ? 400 : 200).type('text/html; charset=utf-8').send(page('电子营业执照授权登录', body));
}

export function registerLicence(app: FastifyInstance, sim: SimContext, keys: IssuerKeys): void {
  app.get<{ Querystring: Record<string, string> }>('/licence/authorize', async (request, reply) => {
    const req = validRequest(request.query.nonce, request.query.callback);
    if (!req) return reply.code(400).type('text/html; charset=utf-8').send(page('请求无效', '<p class="error">缺少或无效的 nonce / callback 参数。</p>'));
    return walletPage(reply, req.nonce, req.callback);
  });

  app.post<{ Body: Record<string, string> }>('/licence/authorize', async (request, reply) => {
    const form = request.body ?? {};
    const req = validRequest(form.nonce, form.callback);
    if (!req) return reply.code(400).type('text/html; charset=utf-8').send(page('请求无效', '<p class="error">缺少或无效的 nonce / callback 参数。</p>'));
    const back = new URL(req.callback);
    if (form.action === 'cancel') {
      back.searchParams.set('error', 'access_denied');
      return reply.redirect(back.href, 303);
    }
    const [serial = '', holderId = ''] = String(form.holder ?? '').split(':');
    const company = companyBySerial(serial);
    const holder = company?.holders.find((h) => h.person.idNumber === holderId);
    if (!company || !holder) return walletPage(reply, req.nonce, req.callback, '请选择要使用的执照。');
    if (form.pin !== holder.pin) return walletPage(reply, req.nonce, req.callback, 'PIN 码不正确，请重新输入。', form.holder);
    back.searchParams.set('assertion', signAssertion(assertionPayload(company, holderId, req.nonce, req.callback.origin), keys));
    return reply.redirect(back.href, 303);
  });

  apiRoute<never>(app, sim, {
    method: 'GET', url: '/licence/v1/licences/:serial/status', service: 'businessLicence',
    async handler(request) {
      const company = companyBySerial(request.params.serial ?? '');
      const checkedAt = new Date(sim.now()).toISOString();
      if (!company) return { licenceSerial: request.params.serial, status: 'not_found', checkedAt };
      const expired = new Date(dayEnd(company.validUntil)).getTime() < sim.now();
      return {
        licenceSerial: company.licenceSerial, creditCode: company.creditCode,
        status: company.status === 'revoked' ? 'revoked' : expired ? 'expired' : 'valid',
        ...(company.revokedAt ? { revokedAt: company.revokedAt } : {}), checkedAt,
      };
    },
  });
}
