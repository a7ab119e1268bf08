// What a capability module hands to the app: its routes and its outbox handlers.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from './db/database.ts';
import type { EventHandler } from './jobs/worker.ts';
import type { Renderer } from './web/render.ts';

/**
 * Adapters to systems outside the platform (verification services, SMS, banks, other nodes).
 * Each module declares its own member by declaration merging; server.ts builds them from
 * configuration, and domain code never knows whether a real service or a simulator answers.
 */
export interface ExternalServices {
  /** Outside production with simulators: where a developer reads what they "sent" (SMS). */
  devLinks?: { smsMailbox?: string };
}

export interface AppContext {
  config: Config;
  db: Db;
  log: Logger;
  render: Renderer;
  external: ExternalServices;
}

export interface PlatformModule {
  name: string;
  routes?(app: FastifyInstance, ctx: AppContext): void | Promise<void>;
  handlers?(ctx: AppContext): EventHandler[];
}
