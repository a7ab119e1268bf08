// 我的证照 pages (/my/licences: people and companies alike, the holder found from the session),
// the clerk's verified view of a case's licence (/staff/licences/:identifier?case=…), and the
// consent API: the holder creates, lists and revokes consents; a business system exchanges a
// one-time token. Pages work without JavaScript; every form carries the CSRF token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import { access } from '../../../platform/http/access.ts';
import { isAppError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { caseServiceFor } from '../../cases/index.ts';
import { registerUserCentreSection } from '../../identity/index.ts';
import { MAX_CONSENT_DAYS } from '../consent.ts';
import type { LicenceService } from '../service.ts';
import type { WalletService } from './service.ts';
import { REFUSAL_TEXT, type CaseRef, type SharingService } from './sharing.ts';

const PAGES = 'modules/licences/wallet/pages';
const tags = ['licences'];
const page = { hide: true };
export const LICENCE_READ_SCOPE = 'licences:read';
const holder = access.anyOf(access.citizen(1), access.company());
const Identifier = Type.String({ minLength: 1, maxLength: 120, description: 'GB/T 36903 证照标识' });
const Params = Type.Object({ identifier: Identifier });
const DONE: Record<string, string> = { paper: '已提交纸质证照申请，发证机关将打印并寄送。', revoked: '授权已撤销，对方不能再使用这本证照。' };
type Staff = Extract<FastifyRequest['actor'], { kind: 'staff' }>;

export function walletRoutes(app: FastifyInstance, ctx: AppContext, licences: LicenceService, wallet: WalletService, sharing: SharingService): void {
  const home = (req: FastifyRequest) => (req.actor.kind === 'company' ? { label: '法人空间', href: '/company' } : { label: '用户中心', href: '/account' });
  const crumbs = (req: FastifyRequest) => [{ label: '首页', href: '/' }, home(req), { label: '我的证照', href: '/my/licences' }];
  const idOf = (req: FastifyRequest) => (req.params as { identifier: string }).identifier;

  app.get('/my/licences', {
    config: { access: holder },
    schema: page,
    handler: async (req, reply) => ctx.render.page(req, reply, `${PAGES}/list.eta`, { cards: await wallet.list(req.actor) }, { title: '我的证照', breadcrumbs: [...crumbs(req).slice(0, 2), { label: '我的证照' }] }),
  });

  app.get('/my/licences/:identifier', {
    config: { access: holder },
    schema: { ...page, params: Params, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: async (req, reply) => {
      const detail = await wallet.detail(req.actor, idOf(req));
      const done = DONE[(req.query as { done?: string }).done ?? ''] ?? null;
      // The address the QR code encodes, as a link on this site (the phone showing it can open it too).
      const qr = new URL(await wallet.qrText(req.actor, idOf(req)));
      return ctx.render.page(req, reply, `${PAGES}/detail.eta`, { ...detail, done, enc: encodeURIComponent(idOf(req)), verifyHref: `${qr.pathname}${qr.search}` }, { title: detail.view.typeName, breadcrumbs: [...crumbs(req), { label: detail.view.typeName }] });
    },
  });

  app.get('/my/licences/:identifier/qr.svg', {
    config: { access: holder },
    schema: { ...page, params: Params },
    handler: async (req, reply) => {
      const svg = await QRCode.toString(await wallet.qrText(req.actor, idOf(req)), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'private, no-store').send(svg);
    },
  });

  app.post('/my/licences/:identifier/paper-copy', {
    config: { access: holder },
    schema: { ...page, params: Params },
    handler: async (req, reply) => {
      await licences.requestPaperCopy(req.actor, idOf(req));
      return reply.redirect(`/my/licences/${encodeURIComponent(idOf(req))}?done=paper`, 303);
    },
  });

  app.post('/my/licences/:identifier/consents/:consentId/revoke', {
    config: { access: holder },
    schema: { ...page, params: Type.Object({ identifier: Identifier, consentId: Type.String({ maxLength: 64 }) }) },
    handler: async (req, reply) => {
      await wallet.revokeConsent(req.actor, (req.params as { consentId: string }).consentId);
      return reply.redirect(`/my/licences/${encodeURIComponent(idOf(req))}?done=revoked`, 303);
    },
  });

  // The clerk's verified view: the case is read with the clerk's own rights (in region).
  async function staffView(req: FastifyRequest, reply: FastifyReply, legal?: { basis: string; errors?: { field: string; message: string }[] }) {
    const staff = req.actor as Staff;
    const caseId = ((req.query as { case?: string }).case ?? (req.body as { case?: string } | undefined)?.case ?? '').trim();
    const { row } = await caseServiceFor(ctx).get(staff, caseId);
    const ref: CaseRef = { id: row.id, caseNumber: row.case_number, itemName: row.item_name, orgId: row.org_id, regionCode: row.region_code, applicantKind: row.applicant_kind, applicantId: row.applicant_id, submittedAt: row.submitted_at };
    const identifier = idOf(req);
    const breadcrumbs = [{ label: '工作台', href: '/staff' }, { label: '综合受理', href: '/staff/cases' }, { label: `办件 ${ref.caseNumber}`, href: `/staff/cases/${ref.id}` }, { label: '电子证照' }];
    const base = { identifier, caseRef: ref, basis: legal?.basis ?? '', errors: legal?.errors ?? [] };
    if (legal && !legal.errors?.length) {
      const view = await licences.get(staff, identifier, { basis: `${legal.basis}（办件 ${ref.caseNumber}）` });
      return ctx.render.page(req, reply, `${PAGES}/staff-view.eta`, { ...base, mode: 'legal', view }, { title: `${view.typeName}（依法查阅）`, breadcrumbs });
    }
    // A legal basis that was refused shows the form again without opening (and logging) the consented view.
    if (legal) return ctx.render.page(req, reply, `${PAGES}/staff-view.eta`, { ...base, mode: 'refused', refusal: null }, { title: '请写明查阅依据', breadcrumbs, status: 400 });
    const result = await sharing.clerkView(staff, identifier, ref);
    if (result.ok) return ctx.render.page(req, reply, `${PAGES}/staff-view.eta`, { ...base, mode: 'consent', shown: result.licence, consent: result.consent }, { title: `${result.licence.typeName}（已核验）`, breadcrumbs });
    return ctx.render.page(req, reply, `${PAGES}/staff-view.eta`, { ...base, mode: 'refused', refusal: REFUSAL_TEXT[result.refusal] }, { title: '没有持证人授权', breadcrumbs, status: 403 });
  }

  app.get('/staff/licences/:identifier', {
    config: { access: access.staff([]) },
    schema: { ...page, params: Params, querystring: Type.Object({ case: Type.String({ format: 'uuid' }) }) },
    handler: (req, reply) => staffView(req, reply),
  });

  app.post('/staff/licences/:identifier/basis', {
    config: { access: access.staff([]) },
    schema: { ...page, params: Params, body: Type.Object({ case: Type.String({ format: 'uuid' }), basis: Type.Optional(Type.String({ maxLength: 1000 })) }) },
    handler: async (req, reply) => {
      const basis = ((req.body as { basis?: string }).basis ?? '').trim();
      const errors = basis.length < 4 || basis.length > 160 ? [{ field: 'basis', message: '请写明查阅的法定依据（4–160 字），例如法律条款和检查任务编号' }] : [];
      return staffView(req, reply, { basis, errors });
    },
  });

  // --- API ---
  const ConsentInput = Type.Object({
    clientId: Type.Optional(Type.String({ format: 'uuid', description: '被授权的业务系统（系统客户端 id）' })),
    granteeOrgId: Type.Optional(Type.String({ format: 'uuid', description: '被授权的机构' })),
    purpose: Type.String({ minLength: 2, maxLength: 200, description: '用途，持证人可见' }),
    scope: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 30, description: "授权的证照信息项（元数据项 key），或 ['*'] 表示全部" }),
    expiresInDays: Type.Integer({ minimum: 1, maximum: MAX_CONSENT_DAYS, description: `授权期限（天，最长 ${MAX_CONSENT_DAYS}）` }),
  });

  app.post('/api/v1/licences/:identifier/consents', {
    config: { access: holder },
    schema: { tags, summary: '持证人授权业务系统或机构使用证照：返回一次性令牌（只显示这一次，平台只保存其 SM3 摘要）', params: Params, body: ConsentInput },
    handler: async (req, reply) => reply.code(201).send(await wallet.createConsent(req.actor, idOf(req), req.body as Parameters<WalletService['createConsent']>[2])),
  });

  app.get('/api/v1/licences/:identifier/consents', {
    config: { access: holder },
    schema: { tags, summary: '持证人查看证照的授权（有效 / 已过期 / 已撤销 / 已使用）', params: Params },
    handler: async (req) => ({ items: await wallet.listConsents(req.actor, idOf(req)) }),
  });

  app.post('/api/v1/licence-consents/:consentId/revoke', {
    config: { access: holder },
    schema: { tags, summary: '持证人撤销授权', params: Type.Object({ consentId: Type.String({ format: 'uuid' }) }), response: { 204: Type.Null() } },
    handler: async (req, reply) => {
      await wallet.revokeConsent(req.actor, (req.params as { consentId: string }).consentId);
      return reply.code(204).send();
    },
  });

  app.post('/api/v1/licence-consents/exchange', {
    config: { access: access.client(LICENCE_READ_SCOPE) },
    schema: { tags, summary: `业务系统以一次性授权令牌换取授权范围内的证照信息与实时状态（系统客户端，权限 ${LICENCE_READ_SCOPE}）；令牌只能使用一次`, body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }) },
    handler: async (req) => {
      if (req.actor.kind !== 'client') throw new Error('client route');
      return sharing.exchange(req.actor, (req.body as { token: string }).token);
    },
  });

  registerUserCentreSection(ctx, {
    id: 'licences',
    title: '我的证照',
    order: 20,
    async load(actor) {
      try {
        const cards = await wallet.list(actor);
        return { items: cards.slice(0, 5).map((c) => ({ label: c.typeName, href: `/my/licences/${encodeURIComponent(c.identifier)}`, meta: c.statusText })), empty: '还没有电子证照。办结的许可等事项会自动签发电子证照。', moreHref: '/my/licences' };
      } catch (err) {
        if (isAppError(err)) return { items: [], empty: '暂时无法读取电子证照。' };
        throw err;
      }
    },
  });
}
