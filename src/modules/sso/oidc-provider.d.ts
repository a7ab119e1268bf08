// oidc-provider ships no type declarations: these cover what this module uses of it.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContextLike {
    req: IncomingMessage & Record<string, unknown>;
    res: ServerResponse;
    type: string;
    body: unknown;
    status: number;
    oidc: OidcContext;
  }

  export interface OidcContext {
    params: Record<string, string | undefined>;
    client?: ClientLike;
    session: SessionLike;
    result?: { login?: unknown; consent?: unknown };
    entities: Record<string, ({ acr?: string; amr?: string[] } & Record<string, unknown>) | undefined>;
  }

  export interface ClientLike {
    clientId: string;
    clientName?: string;
    backchannelLogoutUri?: string;
    yiwang_min_level?: number;
    yiwang_sector?: string | null;
    yiwang_federation?: boolean;
    backchannelLogout(sub: string, sid: string): Promise<void>;
  }

  export interface SessionLike {
    uid: string;
    accountId?: string;
    acr?: string;
    authorizations?: Record<string, { sid?: string; grantId?: string }>;
    sidFor(clientId: string): string;
    destroy(): Promise<void>;
  }

  export interface GrantLike {
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, string | undefined>;
    session?: { accountId: string; uid: string };
    grantId?: string;
    lastSubmission?: Record<string, unknown>;
  }

  export class Check {
    constructor(reason: string, description: string, error: string, check: (ctx: KoaContextLike) => boolean | Promise<boolean>);
    static REQUEST_PROMPT: true;
    static NO_NEED_TO_PROMPT: false;
  }

  interface PolicyPrompts extends Array<{ name: string; checks: { add(check: Check, index?: number): void } }> {
    get(name: string): { name: string; checks: { add(check: Check, index?: number): void } };
  }

  export const interactionPolicy: { base(): PolicyPrompts; Check: typeof Check };

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    proxy: boolean;
    Client: { find(id: string): Promise<ClientLike | undefined> };
    Session: { findByUid(uid: string): Promise<SessionLike | undefined> };
    Grant: { new (init: { accountId: string; clientId: string }): GrantLike; find(id: string): Promise<GrantLike | undefined> };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    on(event: string, listener: (...args: never[]) => void): this;
  }
}
