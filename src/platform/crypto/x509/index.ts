// SM2 X.509: certificates, CRLs and chain validation (docs/seals.md, "Certificate authority").
export { X509Error, type X509ErrorCode } from './errors.ts';
export { OID, KEY_USAGE, type KeyUsageName } from './oids.ts';
export { encodeName, parseName, type DistinguishedName, type ParsedName } from './name.ts';
export {
  buildTbsCertificate, signCertificate, parseCertificate, verifyCertificateSignature, randomSerial, keyIdentifier,
  certificateToPem, certificateFromPem, encodePublicKeyInfo, extension, type Certificate, type CertificateTemplate, type TbsSigner,
} from './certificate.ts';
export { signCrl, parseCrl, verifyCrl, crlToPem, isRevocationReason, REVOCATION_REASONS, type Crl, type CrlTemplate, type RevokedEntry, type RevocationReason } from './crl.ts';
export { verifyChain, CHAIN_FAILURE_TEXT, type ChainFailure, type ChainInput, type ChainResult, type RevocationStatus } from './chain.ts';
