// SMS gateway: accepts templated messages and keeps them (newest first) for the dev mailbox
// page and for tests, instead of delivering them to phones.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { apiRoute, escapeHtml, page, shanghai, type SimContext } from './kit.ts';

export interface SmsMessage {
  messageId: string;
  mobile: string;
  template: string;
  content: string;
  sentAt: string;
}

const TEMPLATES: Record<string, { text: string; params: string[] }> = {
  verification_code: { text: '【江苏政务服务】您的验证码为{code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。', params: ['code'] },
  notice: { text: '【江苏政务服务】{text}', params: ['text'] },
};

const KEEP = 2000;

export interface SmsStore {
  list(mobile?: string): SmsMessage[];
}

export function registerSms(app: FastifyInstance, sim: SimContext): SmsStore {
  const messages: SmsMessage[] = [];
  const list = (mobile?: string) => messages.filter((m) => !mobile || m.mobile === mobile).reverse();

  apiRoute<{ mobile: string; template: string; params: Record<string, string> }>(app, sim, {
    method: 'POST', url: '/sms/v1/messages', service: 'sms',
    schema: {
      body: {
        type: 'object', required: ['mobile', 'template', 'params'], additionalProperties: false,
        properties: {
          mobile: { type: 'string', pattern: '^1[3-9]\\d{9}$' },
          template: { type: 'string', enum: Object.keys(TEMPLATES) },
          params: { type: 'object', additionalProperties: { type: 'string', maxLength: 300 } },
        },
      },
    },
    async handler(request, reply) {
      const { mobile, template, params } = request.body;
      const t = TEMPLATES[template]!;
      const missing = t.params.filter((p) => !params[p]);
      if (missing.length) return reply.code(400).type('application/problem+json').send({ type: 'about:blank', title: '模板参数缺失', status: 400, detail: `missing: ${missing.join(',')}` });
      const content = t.text.replace(/\{(\w+)\}/g, (_m, k: string) => params[k] ?? (k === 'minutes' ? '5' : ''));
      const message = { messageId: `SMS${randomBytes(8).toString('hex').toUpperCase()}`, mobile, template, content, sentAt: new Date().toISOString() };
      messages.push(message);
      if (messages.length > KEEP) messages.splice(0, messages.length - KEEP);
      return { messageId: message.messageId, acceptedAt: message.sentAt };
    },
  });

  apiRoute<never>(app, sim, {
    method: 'GET', url: '/sms/messages', service: 'sms', signedRequest: false,
    schema: { querystring: { type: 'object', properties: { mobile: { type: 'string', maxLength: 20 } } } },
    async handler(request) {
      return { messages: list(request.query.mobile || undefined) };
    },
  });

  app.get<{ Querystring: { mobile?: string } }>('/sms/mailbox', async (request, reply) => {
    const mobile = (request.query.mobile ?? '').trim();
    const shown = list(mobile || undefined).slice(0, 200);
    const rows = shown.map((m) => `<tr><td>${escapeHtml(shanghai(new Date(m.sentAt)))}</td><td>${escapeHtml(m.mobile)}</td><td>${escapeHtml(m.content)}</td></tr>`).join('');
    const body = `<p class="note">这里是模拟短信网关收到的短信，最新的在最前。真实环境中这些短信会发送到用户手机。页面每 10 秒自动刷新。</p>
<form method="get" action="/sms/mailbox"><label for="mobile">按手机号筛选</label><input id="mobile" name="mobile" inputmode="numeric" value="${escapeHtml(mobile)}"> <button type="submit">筛选</button></form>
${shown.length ? `<table><caption>共 ${shown.length} 条</caption><thead><tr><th scope="col">发送时间</th><th scope="col">手机号</th><th scope="col">内容</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>暂无短信。</p>'}`;
    return reply.type('text/html; charset=utf-8').header('refresh', '10').send(page('短信收件箱', body));
  });

  return { list };
}
