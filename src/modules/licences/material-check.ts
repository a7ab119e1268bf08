// The check the cases module runs on every material submitted as an e-licence (registered with
// registerLicenceMaterialCheck): the reference is either the identifier of a licence in this
// node's library, or the QR content (token or scanned address) of a licence from anywhere,
// this node included. It is accepted only if the licence is valid now, of a type that
// satisfies the material, and held by the applicant; the case records its identifier. A
// licence from another node is believed only through that node's bundle, verified against
// the roots on this node's trust list (cross-region recognition, 跨区域互认).
import type { AppContext } from '../../platform/module.ts';
import { PersonalDataCipher, maskIdNumber, maskName } from '../../platform/crypto/personal-data.ts';
import type { LicenceMaterialCheck } from '../cases/index.ts';
import { resolveHolder } from './holders.ts';
import { IDENTIFIER_PREFIX } from './identifier.ts';
import { maskCreditCode } from './qr.ts';
import type { LicenceService } from './service.ts';
import * as store from './store.ts';
import type { LicenceVerifier } from './verification.ts';

const STATUS_TEXT: Record<string, string> = { expired: '已过期', suspended: '已中止', revoked: '已注销或吊销', superseded: '已被新版本取代，请使用新版本' };

export function licenceMaterialCheck(ctx: Pick<AppContext, 'db' | 'config'>, licences: LicenceService, verifier: LicenceVerifier): LicenceMaterialCheck {
  const cipher = new PersonalDataCipher(ctx.config.secrets);
  return async (applicant, material, reference) => {
    const types = await licences.types();
    const wanted = types.filter((t) => material.licenceType !== undefined && (t.key === material.licenceType || t.code === material.licenceType || t.satisfies.includes(material.licenceType)));
    if (!wanted.length) return { ok: false, message: `“${material.name}”不能用电子证照提交，请上传材料` };
    const who = await resolveHolder(ctx.db, cipher, applicant.kind, applicant.id);
    if (!who.ok) return { ok: false, message: '您的账户没有经核验的身份信息，不能使用电子证照' };
    const names = wanted.map((t) => t.name).join('或');

    if (reference.startsWith(`${IDENTIFIER_PREFIX}`)) {
      const found = await store.findByIdentifier(ctx.db, reference);
      if (!found || found.licence.holder_index !== cipher.blindIndex('id_number', who.holder.code)) return { ok: false, message: '没有找到您名下的这张电子证照' };
      if (!wanted.some((t) => t.code === found.licence.type_code)) return { ok: false, message: `这张证照不是“${material.name}”所需的${names}` };
      const status = licences.statusOf(found.licence, found.version);
      if (status !== 'valid') return { ok: false, message: `这张证照${STATUS_TEXT[status] ?? status}，不能作为申请材料` };
      return { ok: true, reference };
    }

    const verified = await verifier.verifyQr(null, reference);
    if (!verified.ok) return { ok: false, message: `电子证照无法核验：${verified.message}` };
    if (verified.status !== 'valid') return { ok: false, message: `这张证照${STATUS_TEXT[verified.status] ?? verified.status}，不能作为申请材料` };
    const l = verified.licence;
    if (!wanted.some((t) => t.code === l.typeCode)) return { ok: false, message: `这张证照（${l.typeName}）不是“${material.name}”所需的${names}` };
    // The payload carries the holder masked: the applicant's own name and number, masked the
    // same way, must give the same text. For another node's licence that is all there is (its
    // full record stays there); the clerk still sees the licence before deciding.
    const h = who.holder;
    const code = h.kind === 'person' ? maskIdNumber(h.code) : maskCreditCode(h.code);
    const name = h.kind === 'person' ? maskName(h.name) : h.name;
    if (l.holderKind !== h.kind || l.holderCode !== code || l.holderName !== name) return { ok: false, message: '这张证照的持证人不是申请人本人' };
    // A licence of this node is matched on the full number, not only the masked one.
    const local = await store.findByIdentifier(ctx.db, l.identifier);
    if (local && local.licence.holder_index !== cipher.blindIndex('id_number', h.code)) return { ok: false, message: '这张证照的持证人不是申请人本人' };
    return { ok: true, reference: l.identifier };
  };
}
