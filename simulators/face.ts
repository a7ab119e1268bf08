// Face comparison with liveness. A liveness session names random actions and expires; a
// comparison is live only inside an unexpired, unused session opened for the same person.
// The score compares the uploaded image with the register photo (GET /face/photos/<id>.png).
import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { apiRoute, type SimContext } from './kit.ts';
import { decodePngGrey, facePhotoPng, faceSimilarity } from './png.ts';
import type { PopulationRegister } from './population.ts';
import { transactionId } from './signing.ts';

export const LIVENESS_ACTIONS = ['blink', 'nod', 'shake_head', 'open_mouth'] as const;
export const FACE_MATCH_THRESHOLD = 80;

interface LivenessSession {
  idNumber: string;
  actions: string[];
  expiresAt: number;
  used: boolean;
}

export function registerFace(app: FastifyInstance, sim: SimContext, register: PopulationRegister, livenessTtlMs: number): void {
  const sessions = new Map<string, LivenessSession>();
  const prune = () => {
    const t = sim.now();
    for (const [id, s] of sessions) if (s.expiresAt < t - 3600_000) sessions.delete(id);
  };

  apiRoute<{ idNumber: string }>(app, sim, {
    method: 'POST', url: '/face/v1/liveness-sessions', service: 'face',
    schema: { body: { type: 'object', required: ['idNumber'], properties: { idNumber: { type: 'string', minLength: 1, maxLength: 18 } }, additionalProperties: false } },
    async handler(request) {
      if (sessions.size > 10_000) prune();
      const pool = [...LIVENESS_ACTIONS];
      const actions: string[] = [];
      const count = randomInt(2, 4);
      while (actions.length < count) actions.push(pool.splice(randomInt(pool.length), 1)[0]!);
      const sessionId = randomBytes(16).toString('hex');
      const expiresAt = sim.now() + livenessTtlMs;
      sessions.set(sessionId, { idNumber: request.body.idNumber.trim().toUpperCase(), actions, expiresAt, used: false });
      return { sessionId, actions, expiresAt: new Date(expiresAt).toISOString() };
    },
  });

  apiRoute<{ name: string; idNumber: string; sessionId: string; image: string }>(app, sim, {
    method: 'POST', url: '/face/v1/comparisons', service: 'face',
    schema: {
      body: {
        type: 'object', required: ['name', 'idNumber', 'sessionId', 'image'], additionalProperties: false,
        properties: { name: { type: 'string', maxLength: 50 }, idNumber: { type: 'string', maxLength: 18 }, sessionId: { type: 'string', maxLength: 64 }, image: { type: 'string', maxLength: 8_000_000 } },
      },
    },
    async handler(request) {
      const { name, sessionId, image } = request.body;
      const idNumber = request.body.idNumber.trim().toUpperCase();
      const base = { transactionId: transactionId('RL'), checkedAt: new Date().toISOString() };
      const session = sessions.get(sessionId);
      let liveness: 'passed' | 'no_session' | 'expired' | 'reused' | 'other_person' = 'passed';
      if (!session) liveness = 'no_session';
      else if (session.used) liveness = 'reused';
      else if (session.idNumber !== idNumber) liveness = 'other_person';
      else if (session.expiresAt < sim.now()) liveness = 'expired';
      if (session) session.used = true; // one comparison per session, whatever its outcome
      if (liveness !== 'passed') return { ...base, live: false, liveness, match: false, score: 0 };
      const probe = decodePngGrey(Buffer.from(image, 'base64'));
      if (!probe) return { ...base, live: true, liveness, match: false, score: 0, detail: 'image_unreadable' };
      const person = register.byIdNumber(idNumber);
      if (!person || person.name !== name.trim()) return { ...base, live: true, liveness, match: false, score: 0, detail: 'no_register_photo' };
      const score = faceSimilarity(decodePngGrey(facePhotoPng(person.idNumber))!, probe);
      return { ...base, live: true, liveness, match: score >= FACE_MATCH_THRESHOLD, score };
    },
  });

  app.get<{ Params: { file: string } }>('/face/photos/:file', async (request, reply) => {
    const m = /^(\d{17}[\dX])\.png$/.exec(request.params.file);
    const person = m ? register.byIdNumber(m[1]!) : undefined;
    if (!person) return reply.code(404).type('text/plain; charset=utf-8').send('人口库中没有此人');
    return reply.type('image/png').header('content-disposition', `inline; filename="${person.idNumber}.png"`).send(facePhotoPng(person.idNumber));
  });
}
