// A throwaway SM2 PKI (root → issuing CA → seal certificate) built straight from the x509
// code with in-memory keys, for tests that need certificates without a database.
import { generateSm2KeyPair, sm2Sign, type Sm2KeyPair } from '../../src/platform/crypto/sm2.ts';
import { keyIdentifier, parseCertificate, randomSerial, signCertificate, type Certificate, type CertificateTemplate, type DistinguishedName } from '../../src/platform/crypto/x509/index.ts';

export const YEAR = 365 * 86_400_000;
export const NOW = new Date('2026-03-01T00:00:00Z');

export interface TestCa {
  keys: Sm2KeyPair;
  der: Buffer;
  cert: Certificate;
}

export const signer = (keys: Sm2KeyPair) => async (tbs: Buffer) => sm2Sign(tbs, keys.privateKey, { publicKey: keys.publicKey });

export async function makeCert(
  subject: DistinguishedName,
  issuer: TestCa | null,
  options: Partial<CertificateTemplate> & { keys?: Sm2KeyPair } = {},
): Promise<TestCa> {
  const keys = options.keys ?? generateSm2KeyPair();
  const signWith = issuer?.keys ?? keys;
  const der = await signCertificate(
    {
      serial: randomSerial(),
      issuer: issuer ? issuer.cert.subjectDer : subject,
      subject,
      notBefore: new Date(NOW.getTime() - 86_400_000),
      notAfter: new Date(NOW.getTime() + YEAR),
      publicKey: keys.publicKey,
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      authorityKeyId: keyIdentifier(signWith.publicKey),
      ...options,
    },
    signer(signWith),
  );
  return { keys, der, cert: parseCertificate(der) };
}

export async function makePki(): Promise<{ root: TestCa; issuing: TestCa; leaf: TestCa }> {
  const root = await makeCert({ country: 'CN', organization: '江苏省一网通办', commonName: '江苏省一网通办根CA' }, null, {
    ca: { pathLength: 1 }, keyUsage: ['keyCertSign', 'cRLSign'], notAfter: new Date(NOW.getTime() + 20 * YEAR),
  });
  const issuing = await makeCert({ country: 'CN', organization: '江苏省一网通办', organizationalUnit: '南京市', commonName: '南京市一网通办签发CA' }, root, {
    ca: { pathLength: 0 }, keyUsage: ['keyCertSign', 'cRLSign'], notAfter: new Date(NOW.getTime() + 10 * YEAR), crlDistributionPoint: 'http://localhost/ca/root.crl',
  });
  const leaf = await makeCert({ country: 'CN', organization: '南京市市场监督管理局', commonName: '南京市市场监督管理局行政审批专用章', serialNumber: '11320100MB1234567X' }, issuing, {
    crlDistributionPoint: 'http://localhost/ca/crl',
  });
  return { root, issuing, leaf };
}
