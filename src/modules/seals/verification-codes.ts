// Verification outcomes: stable codes for programs (API, CLI exit output) and the plain
// Chinese sentence shown on the public verification page.

export type VerificationFailure =
  | 'not_pdf'
  | 'pdf_corrupt'
  | 'not_signed'
  | 'signature_corrupt'
  | 'data_hash_mismatch'
  | 'altered_after_signing'
  | 'certificate_invalid'
  | 'seal_signature_invalid'
  | 'signer_signature_invalid'
  | 'timestamp_missing'
  | 'timestamp_invalid'
  | 'signer_not_in_seal'
  | 'seal_expired'
  | 'certificate_expired'
  | 'certificate_chain_broken'
  | 'issuer_not_trusted'
  | 'certificate_revoked'
  | 'revocation_unknown'
  | 'seal_revoked'
  | 'seal_suspended';

export const FAILURE_TEXT: Record<VerificationFailure, string> = {
  not_pdf: '文件不是 PDF 文档',
  pdf_corrupt: 'PDF 文档不完整或已损坏',
  not_signed: '文档中没有电子签章',
  signature_corrupt: '电子签章数据已损坏，无法解析',
  data_hash_mismatch: '文档在签章后被修改（内容与签章时不一致）',
  altered_after_signing: '文档在签章后被修改（签章之后追加或改动了内容）',
  certificate_invalid: '签章所用的证书无效',
  seal_signature_invalid: '电子印章的制章签名无效（印章被伪造或篡改）',
  signer_signature_invalid: '签章人的签名无效',
  timestamp_missing: '签章缺少可信时间戳',
  timestamp_invalid: '签章的时间戳无效',
  signer_not_in_seal: '签章人证书未被该印章授权',
  seal_expired: '签章时印章不在有效期内',
  certificate_expired: '签章时证书已过期或尚未生效',
  certificate_chain_broken: '证书链不完整或签名无效',
  issuer_not_trusted: '证书不是由受信任的机构签发',
  certificate_revoked: '签章时证书已被吊销',
  revocation_unknown: '无法确认证书的吊销状态',
  seal_revoked: '签章时印章已被注销',
  seal_suspended: '签章时印章已被挂失或暂停使用',
};
