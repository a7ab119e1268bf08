// Security headers on every response (errors, 404s and static files included).
import type { FastifyInstance } from 'fastify';

/**
 * For our own server-rendered pages: every script and style comes from /assets/, so no inline
 * script or style attribute is allowed. The API reference under /docs is exempt: it is a
 * third-party page with its own inline bootstrap.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

export interface SecurityHeaderOptions {
  /** The public address is https: tell browsers never to use plain http again. */
  https: boolean;
}

function isDocs(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');
}

export function installSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions): void {
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (options.https) reply.header('strict-transport-security', 'max-age=31536000');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && !isDocs(req.url)) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    }
    // A signed-in person's pages must not be kept by a shared cache or the back button.
    if (req.session) reply.header('cache-control', 'no-store');
    return payload;
  });
}
