// Server-side rendering with Eta: every page shares one layout, one CSS design system and
// the visitor's display preferences (elder mode), and works without JavaScript.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Problem } from '../http/problem.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ASSETS_DIR = path.join(here, 'assets');

export const ELDER_COOKIE = 'yw_elder';

export interface PageOptions {
  title: string;
  breadcrumbs?: { label: string; href?: string }[];
  status?: number;
}

export interface Renderer {
  /** Renders `view` (a template path under src/) inside the layout. */
  page(req: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>, options: PageOptions): Promise<FastifyReply>;
  errorPage(req: FastifyRequest, reply: FastifyReply, problem: Problem): Promise<string>;
}

/** Templates are named by their path under src/, e.g. `modules/identity/pages/login.eta`. */
export const VIEWS_ROOT = path.resolve(here, '../..');

export function createRenderer(config: Config): Renderer {
  const eta = new Eta({ views: VIEWS_ROOT, cache: config.env === 'production', autoEscape: true, useWith: false });

  async function layout(req: FastifyRequest, reply: FastifyReply, body: string, options: PageOptions): Promise<string> {
    const elder = req.cookies[ELDER_COOKIE] === '1';
    return eta.renderAsync('platform/web/views/layout.eta', {
      title: options.title,
      body,
      breadcrumbs: options.breadcrumbs ?? [],
      elder,
      actor: req.actor,
      csrf: req.csrfToken(reply),
      currentUrl: req.url,
      nodeRole: config.nodeRole,
      nodeRegionCode: config.nodeRegionCode,
    });
  }

  return {
    async page(req, reply, view, data, options) {
      const body = await eta.renderAsync(view, { ...data, csrf: req.csrfToken(reply), actor: req.actor });
      const html = await layout(req, reply, body, options);
      return reply.code(options.status ?? 200).type('text/html; charset=utf-8').send(html);
    },
    async errorPage(req, reply, problem) {
      const body = await eta.renderAsync('platform/web/views/error.eta', { problem });
      return layout(req, reply, body, { title: problem.title });
    },
  };
}
