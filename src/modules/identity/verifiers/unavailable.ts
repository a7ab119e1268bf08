// What the platform uses when no verification service is configured: every check is an
// outage, so nothing is ever verified by default and the pages say the service is down.
import { VerifierUnavailableError, type ExternalServiceName, type ExternalVerifiers } from './types.ts';

function down(service: ExternalServiceName): never {
  throw new VerifierUnavailableError(service, 'network', `${service}: no service configured`);
}

export function unavailableVerifiers(): ExternalVerifiers {
  return {
    publicSecurity: { checkNameId: async () => down('publicSecurity') },
    carrier: { checkThreeElements: async () => down('carrier') },
    bankCard: { checkFourElements: async () => down('bankCard') },
    face: { startLiveness: async () => down('face'), compare: async () => down('face') },
    sms: { send: async () => down('sms') },
    businessLicence: {
      authorizeUrl: () => down('businessLicence'),
      verifyAssertion: async () => down('businessLicence'),
    },
  };
}
