import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, redactUrl } from './logger.ts';

test('secrets in query strings never reach the log', () => {
  assert.equal(redactUrl('/company/login/callback?assertion=eyJhbGciOi.abc&x=1'), '/company/login/callback?assertion=[已隐藏]&x=1');
  assert.equal(redactUrl('/oidc/cb?code=abc&state=xyz'), '/oidc/cb?code=[已隐藏]&state=[已隐藏]');
  assert.equal(redactUrl('/search?q=开饭店'), '/search?q=开饭店');
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const base = createLogger('info');
  const log = pino({ level: 'info', serializers: (base as unknown as { [k: symbol]: unknown })[pino.symbols.serializersSym] as pino.LoggerOptions['serializers'] }, sink);
  log.info({ req: { method: 'GET', url: '/company/login/callback?assertion=SECRET', ip: '1.2.3.4' } }, 'incoming request');
  assert.doesNotMatch(lines.join(''), /SECRET/);
  assert.match(lines.join(''), /assertion=\[已隐藏\]/);
});
