// What the real-name and second-factor routes share: the signed-in person of a request, and
// the step-up page showing what this session still has to prove.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RealNameLevel } from '../../../platform/http/access.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import type { Renderer } from '../../../platform/web/render.ts';
import { CitizenService } from './service.ts';
import { LEVEL_NAMES, planStepUp, type Factor } from './levels.ts';
import * as store from './store.ts';

export function citizen(req: FastifyRequest) {
  if (req.actor.kind !== 'citizen' || !req.session) throw new AppError('UNAUTHENTICATED');
  return { actor: req.actor, session: req.session };
}

export type StepUpView = { target: RealNameLevel; next: string; errors?: FieldError[]; message?: string };

export function stepUpPageRenderer(render: Renderer, people: CitizenService) {
  return async (req: FastifyRequest, reply: FastifyReply, view: StepUpView, status = 200) => {
    const { actor, session } = citizen(req);
    const enrolled = await store.listFactors(people.db, actor.accountId);
    const plan = planStepUp(actor.accountLevel, CitizenService.factorsOf(session), view.target, enrolled.map((f) => f.kind as Factor));
    return render.page(req, reply, 'modules/identity/people/pages/step-up.eta', { errors: [], message: '', ...view, plan, actor, levelNames: LEVEL_NAMES }, { title: '二次认证', status });
  };
}
