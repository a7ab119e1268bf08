// Companies and authorisations inside the identity module: licence login, agent grants
// (经办人) and 代办. identity/index.ts wires the routes and the session resolvers.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/module.ts';
import type { SessionRecord } from '../../../platform/http/session.ts';
import type { Actor } from '../../../platform/http/access.ts';
import { PersonalDataCipher } from '../../../platform/crypto/personal-data.ts';
import { registerUserCentreSection } from '../people/user-centre.ts';
import { CompanyService } from './service.ts';
import { ProxyService } from './proxy.ts';
import { companyRoutes } from './routes.ts';
import { authorisationRoutes } from './account-routes.ts';
import { describeItems } from './scope.ts';

export { assertProxyScope, assertCompanyScope, principalAccountId, itemsCover } from './scope.ts';
export { CompanyService } from './service.ts';
export { ProxyService } from './proxy.ts';

interface Services {
  companies: CompanyService;
  proxies: ProxyService;
}
const services = new WeakMap<AppContext, Services>();

export function authorisationServices(ctx: AppContext): Services {
  let s = services.get(ctx);
  if (!s) {
    const cipher = new PersonalDataCipher(ctx.config.secrets);
    s = {
      companies: new CompanyService(ctx.db, cipher, ctx.external.identity.businessLicence, { publicUrl: ctx.config.publicUrl, nodeRegionCode: ctx.config.nodeRegionCode }),
      proxies: new ProxyService(ctx.db, cipher),
    };
    services.set(ctx, s);
  }
  return s;
}

/** The actor of a company session. */
export function companyActorFromSession(ctx: AppContext, session: SessionRecord): Promise<Actor | null> {
  return authorisationServices(ctx).companies.fromSession(session);
}

/** A citizen session that carries a 代办 grant becomes the on-behalf actor (else unchanged). */
export function withProxy(ctx: AppContext, session: SessionRecord, base: Actor | null): Promise<Actor | null> {
  return authorisationServices(ctx).proxies.resolve(base, session);
}

const date = (d: Date) => d.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });

export function companiesAndAuthorisations(app: FastifyInstance, ctx: AppContext): void {
  const { companies, proxies } = authorisationServices(ctx);
  companyRoutes(app, ctx, companies);
  authorisationRoutes(app, ctx, companies, proxies);

  registerUserCentreSection(ctx, {
    id: 'company-grants',
    title: '企业授权（经办人）',
    order: 60,
    async load(actor) {
      if (actor.kind !== 'citizen' || actor.onBehalfOf) return { items: [], empty: '代办期间不显示' };
      const grants = await companies.liveGrantsOf(actor.accountId);
      return {
        items: grants.slice(0, 5).map((g) => ({ label: g.companyName, href: '/account/companies', meta: `有效期至 ${date(g.validUntil)}` })),
        empty: '没有企业授权您办事。',
        moreHref: '/account/companies',
      };
    },
  });
  registerUserCentreSection(ctx, {
    id: 'proxies',
    title: '代办授权',
    order: 61,
    async load(actor) {
      if (actor.kind !== 'citizen') return { items: [], empty: '' };
      if (actor.onBehalfOf) return { items: [{ label: '结束代办，回到本人身份', href: '/account/proxies' }], empty: '' };
      const { given, received } = await proxies.list(actor.accountId);
      const items = [
        ...received.filter((g) => g.live).map((g) => ({ label: `替 ${g.name} 办事`, href: '/account/proxies', meta: describeItems(g.items) })),
        ...given.filter((g) => g.live).map((g) => ({ label: `已授权 ${g.name} 代办`, href: '/account/proxies', meta: `至 ${date(g.validUntil)}` })),
      ];
      return { items: items.slice(0, 5), empty: '可以授权家人替您办事（如老人授权子女），也可以撤销。', moreHref: '/account/proxies' };
    },
  });
}
