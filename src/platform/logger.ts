import pino, { type Logger } from 'pino';

/** JSON logs; request ids are added by Fastify to every request-scoped line. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'], censor: '[已隐藏]' },
  });
}
