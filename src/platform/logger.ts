import pino, { type Logger } from 'pino';

// Query parameters that may carry credentials or personal data (an e-licence assertion names
// people with their ID numbers; codes and tickets are one-time secrets): kept out of logs.
const SECRET_QUERY = /([?&](?:assertion|code|ticket|token|id_token|logout_token|state)=)[^&#]*/g;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[已隐藏]');
}

/** JSON logs; request ids are added by Fastify to every request-scoped line. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'], censor: '[已隐藏]' },
    serializers: {
      // Fastify's own request serializer, with the URL's secrets hidden.
      req: (req: { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: req.method,
        url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  });
}
