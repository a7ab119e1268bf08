// An in-memory PKI for the signing tests: a root CA, certificates it issues, a key signer
// standing in for the key store, a timestamp service and a seal (no database).
import { generateSm2KeyPair, sm2PublicKeyFromPrivate, sm2Sign, type Sm2KeyPair } from '../../../platform/crypto/sm2.ts';
import { encodeName, keyIdentifier, randomSerial, signCertificate, type DistinguishedName } from '../../../platform/crypto/x509/index.ts';
import { signSeal, type SealInfo, type SesSeal } from '../ses/index.ts';
import { LocalTimestampService, type KeySigner } from '../timestamp.ts';
import { redSquarePng } from './test-fixtures.ts';

export class MemoryKeys implements KeySigner {
  private readonly keys = new Map<string, Sm2KeyPair>();
  add(keyId: string, pair = generateSm2KeyPair()): Sm2KeyPair {
    this.keys.set(keyId, pair);
    return pair;
  }
  async sign(keyId: string, message: Buffer): Promise<Buffer> {
    const k = this.keys.get(keyId);
    if (!k) throw new Error(`no key ${keyId}`);
    return sm2Sign(message, k.privateKey);
  }
  async publicKey(keyId: string): Promise<string> {
    const k = this.keys.get(keyId);
    if (!k) throw new Error(`no key ${keyId}`);
    return sm2PublicKeyFromPrivate(k.privateKey);
  }
}

const YEAR = 365 * 24 * 3600 * 1000;

export interface TestCa {
  name: DistinguishedName;
  keyId: string;
  publicKey: string;
  der: Buffer;
  issue(subject: DistinguishedName, keyId: string, options?: { notBefore?: Date; notAfter?: Date; ca?: boolean; serial?: string; extraExtensions?: Buffer[] }): Promise<Buffer>;
}

export async function testCa(keys: MemoryKeys, commonName = '测试根 CA'): Promise<TestCa> {
  const keyId = `ca:${commonName}`;
  const pair = keys.add(keyId);
  const name = { country: 'CN', organization: '江苏省政务服务管理办公室', commonName };
  const sign = (tbs: Buffer) => keys.sign(keyId, tbs);
  const der = await signCertificate(
    { serial: randomSerial(), issuer: name, subject: name, notBefore: new Date(Date.now() - 10 * YEAR), notAfter: new Date(Date.now() + 10 * YEAR), publicKey: pair.publicKey, ca: {}, keyUsage: ['keyCertSign', 'cRLSign'], authorityKeyId: keyIdentifier(pair.publicKey) },
    sign,
  );
  return {
    name,
    keyId,
    publicKey: pair.publicKey,
    der,
    async issue(subject, subjectKeyId, options = {}) {
      return signCertificate(
        {
          serial: options.serial ?? randomSerial(),
          issuer: encodeName(name),
          subject,
          notBefore: options.notBefore ?? new Date(Date.now() - YEAR),
          notAfter: options.notAfter ?? new Date(Date.now() + 5 * YEAR),
          publicKey: await keys.publicKey(subjectKeyId),
          ...(options.ca ? { ca: {} } : {}),
          keyUsage: options.ca ? ['keyCertSign'] : ['digitalSignature', 'nonRepudiation'],
          authorityKeyId: keyIdentifier(pair.publicKey),
          ...(options.extraExtensions ? { extraExtensions: options.extraExtensions } : {}),
        },
        sign,
      );
    },
  };
}

export interface TestSetup {
  keys: MemoryKeys;
  ca: TestCa;
  seal: SesSeal;
  signerKeyId: string;
  signerCert: Buffer;
  timestamps: LocalTimestampService;
  png: Buffer;
}

/** A root CA, a maker (制章者), a seal whose certList names the signer, and a TSA. */
export async function testSetup(options: { signerCert?: (ca: TestCa, keys: MemoryKeys, keyId: string) => Promise<Buffer>; sealValid?: [Date, Date]; clock?: () => Date } = {}): Promise<TestSetup> {
  const keys = new MemoryKeys();
  const ca = await testCa(keys);
  keys.add('maker');
  keys.add('signer');
  keys.add('tsa');
  const makerCert = await ca.issue({ country: 'CN', commonName: '江苏省电子印章制作中心' }, 'maker');
  const signerCert = options.signerCert ? await options.signerCert(ca, keys, 'signer') : await ca.issue({ country: 'CN', organization: '南京市市场监督管理局', commonName: '南京市市场监督管理局 签章' }, 'signer');
  const tsaCert = await ca.issue({ country: 'CN', commonName: '测试时间戳服务' }, 'tsa');
  const png = redSquarePng(64);
  const [validStart, validEnd] = options.sealValid ?? [new Date(Date.now() - YEAR), new Date(Date.now() + 5 * YEAR)];
  const info: SealInfo = {
    header: { id: 'ES', version: 4, vid: 'yiwang' },
    esId: '320100202600000001',
    property: { type: 1, name: '南京市市场监督管理局业务专用章', certList: { type: 1, certs: [signerCert] }, createDate: validStart, validStart, validEnd },
    picture: { type: 'PNG', data: png, width: 40, height: 40 },
  };
  const seal = await signSeal(info, makerCert, (m) => keys.sign('maker', m));
  const timestamps = new LocalTimestampService({ keys, keyId: 'tsa', certificate: tsaCert, ...(options.clock ? { clock: options.clock } : {}) });
  return { keys, ca, seal, signerKeyId: 'signer', signerCert, timestamps, png };
}
