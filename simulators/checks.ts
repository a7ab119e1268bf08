// Element checks against the population register: public security (name + ID number),
// carrier three elements (name, ID number, mobile) and bank-card four elements.
import type { FastifyInstance } from 'fastify';
import { apiRoute, type SimContext } from './kit.ts';
import type { PopulationRegister } from './population.ts';
import { transactionId } from './signing.ts';

type Result = 'consistent' | 'inconsistent' | 'not_found';

const str = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const schema = (fields: Record<string, object>) => ({
  body: { type: 'object', required: Object.keys(fields), properties: fields, additionalProperties: false },
});

function answer(result: Result, prefix: string) {
  return { result, match: result === 'consistent', transactionId: transactionId(prefix), checkedAt: new Date().toISOString() };
}

export function registerElementChecks(app: FastifyInstance, sim: SimContext, register: PopulationRegister): void {
  apiRoute<{ name: string; idNumber: string }>(app, sim, {
    method: 'POST', url: '/public-security/v1/name-id-checks', service: 'publicSecurity',
    schema: schema({ name: str(50), idNumber: str(18) }),
    async handler(request) {
      const person = register.byIdNumber(request.body.idNumber.trim());
      if (!person) return answer('not_found', 'GA');
      return answer(person.name === request.body.name.trim() ? 'consistent' : 'inconsistent', 'GA');
    },
  });

  apiRoute<{ name: string; idNumber: string; mobile: string }>(app, sim, {
    method: 'POST', url: '/carrier/v1/three-element-checks', service: 'carrier',
    schema: schema({ name: str(50), idNumber: str(18), mobile: str(20) }),
    async handler(request) {
      const { name, idNumber, mobile } = request.body;
      const person = register.byIdNumber(idNumber.trim());
      if (!person) return answer('not_found', 'YYS');
      return answer(person.name === name.trim() && person.mobile === mobile.trim() ? 'consistent' : 'inconsistent', 'YYS');
    },
  });

  apiRoute<{ name: string; idNumber: string; cardNumber: string; mobile: string }>(app, sim, {
    method: 'POST', url: '/bank/v1/four-element-checks', service: 'bankCard',
    schema: schema({ name: str(50), idNumber: str(18), cardNumber: str(19), mobile: str(20) }),
    async handler(request) {
      const { name, idNumber, cardNumber, mobile } = request.body;
      const person = register.byIdNumber(idNumber.trim());
      if (!person) return answer('not_found', 'YL');
      const same = person.name === name.trim() && person.bankCard === cardNumber.replace(/\s+/g, '') && person.mobile === mobile.trim();
      return answer(same ? 'consistent' : 'inconsistent', 'YL');
    },
  });
}
