// HTTP for the workflow's supervision side: 告知承诺 verification tasks and results, post
// tracking, and the supervision figures for auditors, region administrators and the
// evaluation capability's system client (scope `cases:supervision`).
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../platform/http/access.ts';
import { courierOf } from '../../platform/external/courier.ts';
import type { AppContext } from '../../platform/module.ts';
import { CalendarService } from '../../platform/calendar/index.ts';
import type { CaseService } from './service.ts';
import { SupervisionService, type SupervisionDeps } from './supervision.ts';
import { todayInShanghai } from './escalation.ts';

const Id = Type.String({ format: 'uuid' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const SUPERVISION_SCOPE = 'cases:supervision';

export function supervisionServiceFor(ctx: AppContext, organisation: SupervisionDeps['organisation']): SupervisionService {
  return new SupervisionService({ db: ctx.db, calendar: new CalendarService(ctx.db), today: todayInShanghai, courier: () => courierOf(ctx.external), organisation });
}

export function supervisionRoutes(app: FastifyInstance, cases: CaseService, supervision: SupervisionService): void {
  const reviewers = access.staff(['approver', 'region_admin']);
  const supervisors = access.anyOf(access.staff(['auditor', 'region_admin']), access.client(SUPERVISION_SCOPE));

  app.get('/api/v1/cases/verifications', {
    config: { access: reviewers },
    schema: { tags: ['cases'], summary: '告知承诺核查任务（到期未核查的）', querystring: Type.Object({ dueBy: Type.Optional(Day) }) },
    handler: async (req) => ({ items: await supervision.dueVerifications(req.actor, (req.query as { dueBy?: string }).dueBy) }),
  });

  app.post('/api/v1/cases/:id/verification', {
    config: { access: reviewers },
    schema: {
      tags: ['cases'],
      summary: '登记告知承诺核查结果（fulfilled 属实 / breached 不符）',
      description: '核查不符须写明情况（note），记入办件过程并发出 case.commitment_breached 事件；撤销许可由后续能力处理。',
      params: Type.Object({ id: Id }),
      body: Type.Object({ result: Type.Union([Type.Literal('fulfilled'), Type.Literal('breached')]), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
    },
    handler: async (req) => supervision.recordVerification(req.actor, (req.params as { id: string }).id, req.body as { result: 'fulfilled' | 'breached'; note?: string }, { requestId: String(req.id) }),
  });

  app.get('/api/v1/cases/:id/tracking', {
    config: { access: access.anyOf(access.citizen(1), access.company(), access.staff([])) },
    schema: { tags: ['cases'], summary: '邮寄送达物流信息', params: Type.Object({ id: Id }) },
    handler: async (req) => {
      // The same visibility as the case itself: the applicant, or staff in its region.
      const { row } = await cases.get(req.actor, (req.params as { id: string }).id);
      return supervision.tracking(row);
    },
  });

  app.get('/api/v1/supervision/cases/:id', {
    config: { access: supervisors },
    schema: { tags: ['supervision'], summary: '办件时效：受理、办结、已用工作日、暂停工作日、是否按时', params: Type.Object({ id: Id }) },
    handler: async (req) => supervision.caseFigures(req.actor, (req.params as { id: string }).id),
  });

  app.get('/api/v1/supervision/organisations', {
    config: { access: { ...supervisors, region: (req) => (req.query as { region?: string }).region } },
    schema: {
      tags: ['supervision'],
      summary: '各机构办件效能：收件、受理、不予受理、办结、按时、超期、平均办理工作日',
      description: '统计起止日期内（含，北京时间）提交的办件；region 缺省为调用方所在区划。',
      querystring: Type.Object({ region: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' })), from: Day, to: Day }),
    },
    handler: async (req) => supervision.organisationFigures(req.actor, req.query as { region?: string; from: string; to: string }),
  });
}
