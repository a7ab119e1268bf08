// Public guide (办事指南) routes: the page, its PDF, its QR code and the JSON API, all built
// from one Guide object (loadGuide), with the same 好办 answers accepted as query parameters.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import type { RegionService } from '../../regions/index.ts';
import type { ImplementationContent } from '../schemas.ts';
import type { CatalogService } from '../service.ts';
import { buildGuide, type Guide } from './guide.ts';
import { parseAnswers } from './personalise.ts';
import { renderGuidePdf } from './pdf.ts';
import { qrPng, qrSvg } from './qr.ts';
import { GuideSchema } from './schema.ts';

const VIEW = 'modules/catalog/guides/pages/guide.eta';
// Unknown ids are answered 404 by the lookup, not 400 by the schema: a mistyped link in a
// leaflet should read "no such item".
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const AnswersQuery = Type.Object({}, { additionalProperties: Type.String({ maxLength: 40 }), description: '好办：以问题标识为参数名、选项值为参数值的回答，如 ?first=yes' });

export function guideRoutes(app: FastifyInstance, ctx: AppContext, catalog: CatalogService, regions: RegionService): void {
  const { render, config } = ctx;

  /** The guide for a published implementation, with the query's valid answers applied. */
  async function loadGuide(req: FastifyRequest): Promise<{ guide: Guide; errors: { field: string; message: string }[] }> {
    const { id } = req.params as { id: string };
    const found = await catalog.published<ImplementationContent>(id);
    if (!found || found.entry.kind !== 'implementation') throw new AppError('CATALOG_ENTRY_NOT_FOUND', { detail: id });
    const [org, regionPath] = await Promise.all([regions.organisation(found.entry.org_id ?? found.content.orgId), regions.path(found.content.regionCode)]);
    const { answers, errors } = parseAnswers(found.content.questions, (req.query ?? {}) as Record<string, unknown>);
    const guide = buildGuide({ entry: found.entry, content: found.content, organisation: { id: org.id, name: org.name, creditCode: org.creditCode }, regionPath, publicUrl: config.publicUrl }, answers);
    return { guide, errors };
  }

  app.get('/guides/:id', {
    config: { access: access.public() },
    schema: { hide: true, params: Params },
    handler: async (req, reply) => {
      const { guide, errors } = await loadGuide(req);
      const breadcrumbs = [{ label: '首页', href: '/' }, { label: guide.region.name, href: `/regions/${guide.region.code}` }, { label: guide.name }];
      // Error-summary links point at the first radio of the question's fieldset.
      const pageErrors = errors.map((e) => ({ field: `answer-${e.field}`, message: e.message }));
      return render.page(req, reply, VIEW, { guide, errors: pageErrors }, { title: `${guide.name}办事指南`, breadcrumbs, status: errors.length ? 400 : 200 });
    },
  });

  app.get('/guides/:id.pdf', {
    config: { access: access.public() },
    schema: { hide: true, params: Params },
    handler: async (req, reply) => {
      const { guide, errors } = await loadGuide(req);
      if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
      const pdf = await renderGuidePdf(guide, await qrPng(guide.links.mobile));
      return reply.type('application/pdf').header('content-disposition', `inline; filename="guide-${guide.implementationCode}.pdf"`).send(pdf);
    },
  });

  app.get('/guides/:id/qr.svg', {
    config: { access: access.public() },
    schema: { hide: true, params: Params },
    handler: async (req, reply) => {
      const { guide } = await loadGuide(req);
      return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(await qrSvg(guide.links.mobile));
    },
  });

  app.get('/api/v1/catalog/guides/:id', {
    config: { access: access.public() },
    schema: {
      tags: ['catalog'],
      summary: '办事指南（与网页、PDF 同源）；带上好办问题的回答时只列适用的条件和材料',
      params: Params,
      querystring: AnswersQuery,
      response: { 200: GuideSchema },
    },
    handler: async (req) => {
      const { guide, errors } = await loadGuide(req);
      if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
      return guide;
    },
  });
}
