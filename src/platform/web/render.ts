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

/** Elder-friendly (适老化/长辈版) display: "1" when on. */
export const ELDER_COOKIE = 'yw_elder';
/** The visitor's chosen region (a region code), set by the header's region switcher. */
export const REGION_COOKIE = 'yw_region';

export interface PageOptions {
  title: string;
  breadcrumbs?: { label: string; href?: string }[];
  status?: number;
}

/** What the layout's header needs from the modules (the platform knows no regions itself). */
export interface ShellData {
  /** Shown under the site name, e.g. the node's province. */
  siteRegionName?: string;
  regionSwitcher?: {
    action: string;
    choices: { code: string; name: string }[];
    /** The visitor's region, listed even when it is not one of the choices. */
    current: { code: string; name: string } | null;
  };
}

export type ShellProvider = (req: FastifyRequest) => Promise<ShellData>;

export interface Renderer {
  /** Renders `view` (a template path under src/) inside the layout. */
  page(req: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>, options: PageOptions): Promise<FastifyReply>;
  errorPage(req: FastifyRequest, reply: FastifyReply, problem: Problem): Promise<string>;
  /** Lets a module (the portal) supply the header's site name and region switcher. */
  useShell(provider: ShellProvider): void;
}

/** Templates are named by their path under src/, e.g. `modules/identity/pages/login.eta`. */
export const VIEWS_ROOT = path.resolve(here, '../..');

export function isElder(req: FastifyRequest): boolean {
  return req.cookies[ELDER_COOKIE] === '1';
}

export function createRenderer(config: Config): Renderer {
  const eta = new Eta({ views: VIEWS_ROOT, cache: config.env === 'production', autoEscape: true, useWith: false });
  let shell: ShellProvider | null = null;

  async function shellData(req: FastifyRequest): Promise<ShellData> {
    if (!shell) return {};
    try {
      return await shell(req);
    } catch (err) {
      // The error page must render even when the database is down.
      req.log.warn({ err }, 'page shell data unavailable');
      return {};
    }
  }

  async function layout(req: FastifyRequest, reply: FastifyReply, body: string, options: PageOptions): Promise<string> {
    return eta.renderAsync('platform/web/views/layout.eta', {
      title: options.title,
      body,
      breadcrumbs: options.breadcrumbs ?? [],
      elder: isElder(req),
      actor: req.actor ?? { kind: 'anonymous' },
      csrf: req.csrfToken(reply),
      currentUrl: req.url,
      nodeRole: config.nodeRole,
      nodeRegionCode: config.nodeRegionCode,
      shell: await shellData(req),
    });
  }

  return {
    async page(req, reply, view, data, options) {
      const body = await eta.renderAsync(view, { ...data, csrf: req.csrfToken(reply), actor: req.actor, elder: isElder(req), currentUrl: req.url });
      const html = await layout(req, reply, body, options);
      return reply.code(options.status ?? 200).type('text/html; charset=utf-8').send(html);
    },
    async errorPage(req, reply, problem) {
      const body = await eta.renderAsync('platform/web/views/error.eta', { problem });
      return layout(req, reply, body, { title: problem.title });
    },
    useShell(provider) {
      shell = provider;
    },
  };
}
