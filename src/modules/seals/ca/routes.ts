// The CA's public face: the node's CA certificates and CRLs (DER, as RFC 5280 §4.2.1.13 and
// §4.2.2.1 expect behind an http URL), the online status API, and revocation by region admins.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../../platform/http/access.ts';
import { REVOCATION_REASONS, type RevocationReason } from '../../../platform/crypto/x509/index.ts';
import type { CaService } from './service.ts';

const tags = ['ca'];
const Serial = Type.Object({ serial: Type.String({ pattern: '^[0-9A-Fa-f]{2,40}$', description: '证书序列号（十六进制）' }) });
const REASONS = Object.keys(REVOCATION_REASONS).filter((r) => r !== 'removeFromCRL');
const RevokeBody = Type.Object(
  { reason: Type.Union(REASONS.map((r) => Type.Literal(r)), { description: 'RFC 5280 CRLReason；certificateHold 为暂停' }) },
  { additionalProperties: false },
);
const StatusAnswer = Type.Object({
  serial: Type.String(),
  status: Type.Union([Type.Literal('good'), Type.Literal('revoked'), Type.Literal('unknown')]),
  reason: Type.Optional(Type.String()),
  revokedAt: Type.Optional(Type.String({ format: 'date-time' })),
  notAfter: Type.Optional(Type.String({ format: 'date-time' })),
});

function der(reply: FastifyReply, type: 'application/pkix-cert' | 'application/pkix-crl', body: Buffer, maxAge: number) {
  return reply.type(type).header('cache-control', `public, max-age=${maxAge}`).send(body);
}

export function caRoutes(app: FastifyInstance, ca: CaService): void {
  for (const role of ['root', 'issuing'] as const) {
    app.get(`/ca/${role}.crt`, {
      config: { access: access.public() },
      schema: { tags, summary: role === 'root' ? '本节点根CA证书（DER）' : '本节点签发CA证书（DER）' },
      handler: async (_req, reply) => der(reply, 'application/pkix-cert', await ca.caCertificate(role), 3600),
    });
  }
  app.get('/ca/crl', {
    config: { access: access.public() },
    schema: { tags, summary: '签发CA的证书吊销列表（DER）' },
    handler: async (_req, reply) => der(reply, 'application/pkix-crl', await ca.crlDer('issuing'), 300),
  });
  app.get('/ca/root.crl', {
    config: { access: access.public() },
    schema: { tags, summary: '根CA的证书吊销列表（DER，列出被吊销的签发CA）' },
    handler: async (_req, reply) => der(reply, 'application/pkix-crl', await ca.crlDer('root'), 300),
  });
  app.get('/api/v1/ca/certificates/:serial/status', {
    config: { access: access.public() },
    schema: { tags, summary: '证书状态查询（在线）', description: 'good：有效；revoked：已吊销或暂停（reason 为 certificateHold）；unknown：不是本节点签发的证书。', params: Serial, response: { 200: StatusAnswer } },
    handler: async (req) => ca.status((req.params as { serial: string }).serial),
  });
  app.post('/api/v1/ca/certificates/:serial/revoke', {
    config: { access: access.staff(['region_admin']) },
    schema: { tags, summary: '吊销或暂停证书', description: '吊销后立即发布新的 CRL。仅限证书所属区划的区划管理员。', params: Serial, body: RevokeBody, response: { 200: StatusAnswer } },
    handler: async (req) => {
      const { serial } = req.params as { serial: string };
      return ca.revoke(req.actor, serial.toLowerCase(), (req.body as { reason: RevocationReason }).reason, { requestId: String(req.id) });
    },
  });
  app.post('/api/v1/ca/certificates/:serial/release', {
    config: { access: access.staff(['region_admin']) },
    schema: { tags, summary: '解除证书暂停', params: Serial, response: { 200: StatusAnswer } },
    handler: async (req) => ca.release(req.actor, (req.params as { serial: string }).serial.toLowerCase(), { requestId: String(req.id) }),
  });
}
