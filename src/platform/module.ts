// What a capability module hands to the app: its routes and its outbox handlers.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from './db/database.ts';
import type { EventHandler } from './jobs/worker.ts';
import type { Renderer } from './web/render.ts';

export interface AppContext {
  config: Config;
  db: Db;
  log: Logger;
  render: Renderer;
}

export interface PlatformModule {
  name: string;
  routes?(app: FastifyInstance, ctx: AppContext): void | Promise<void>;
  handlers?(ctx: AppContext): EventHandler[];
}
