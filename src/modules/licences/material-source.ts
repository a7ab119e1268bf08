// 电子证照 as a material source of the apply wizard: for a material the catalogue marks with a
// `licenceType`, the applicant's own licences that are valid now and of a type that satisfies
// it. The wizard records a choice as source 'licence' with the identifier as reference, and
// the cases module checks it again at submission (material-check.ts), so this list is an
// offer, never a proof. Submitting is the applicant's consent (wallet/sharing.ts), whose
// wording is `authorisation` below.
import type { AppContext } from '../../platform/module.ts';
import { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import type { Material } from '../catalog/index.ts';
import type { MaterialSource } from '../cases/index.ts';
import { chinaDate } from '../../platform/calendar/dates.ts';
import { CASE_CONSENT_DAYS, addDays, authorisationText, scopeText } from './consent.ts';
import type { LicenceType } from './catalogue.ts';
import { resolveHolder } from './holders.ts';
import type { LicenceService } from './service.ts';
import * as wallet from './wallet/store.ts';

/** The types whose licences can stand for this material. */
export function typesFor(types: readonly LicenceType[], material: Pick<Material, 'licenceType'>): LicenceType[] {
  const wanted = material.licenceType;
  if (!wanted) return [];
  return types.filter((t) => t.key === wanted || t.code === wanted || t.satisfies.includes(wanted));
}

/** `serviceFor`: the source is registered once per process, so each call reads its own node's library. */
export function licenceMaterialSource(serviceFor: (ctx: AppContext) => LicenceService): MaterialSource {
  return {
    id: 'licence',
    label: '电子证照',
    kind: 'licence',
    async candidates(applicant, material, ctx: AppContext) {
      const licences = serviceFor(ctx);
      const types = typesFor(await licences.types(), material);
      if (!types.length) return [];
      let index: string | null = null;
      if (applicant.kind === 'citizen') {
        const who = await resolveHolder(ctx.db, new PersonalDataCipher(ctx.config.secrets), 'citizen', applicant.id);
        if (who.ok) index = new PersonalDataCipher(ctx.config.secrets).blindIndex('id_number', who.holder.code);
      }
      const rows = await wallet.holderLicences(ctx.db, index, applicant.id);
      return rows
        .filter((l) => types.some((t) => t.code === l.type_code) && licences.statusOf(l, l.version) === 'valid')
        .map((l) => {
          const type = types.find((t) => t.code === l.type_code)!;
          const issuer = typeof (l.data as Record<string, unknown>).issuerName === 'string' ? `，${(l.data as Record<string, string>).issuerName}签发` : '';
          return { reference: l.identifier, title: `${type.name}（${l.valid_until ? `有效期至 ${l.valid_until}` : '长期有效'}${issuer}）` };
        });
    },
    authorisation({ title, department, itemName }) {
      return authorisationText({ licenceTitle: title, department, itemName, scope: scopeText(null, ['*']), until: chinaDate(addDays(new Date(), CASE_CONSENT_DAYS)) });
    },
  };
}
