// A material submitted as an e-licence (source 'licence') is never taken on the applicant's
// word: the licences module registers the check that resolves the reference — a licence of
// this node held by the applicant, or another node's licence verified through the trust list —
// and the case records what the check returns. With no check registered, licence materials
// are refused (fail closed), so a node without the licences module cannot be handed one.
import type { ImplementationContent, Material } from '../catalog/index.ts';
import type { FieldError } from '../../platform/http/errors.ts';
import type { MaterialInput } from './service.ts';

export interface LicenceMaterialApplicant {
  kind: 'citizen' | 'company';
  id: string;
}

export type LicenceMaterialCheck = (
  applicant: LicenceMaterialApplicant,
  material: Material,
  reference: string,
) => Promise<{ ok: true; reference: string } | { ok: false; message: string }>;

// Per database: two nodes in one process (tests, the bench) each check against their own library.
const checks = new WeakMap<object, LicenceMaterialCheck>();

/** Set by the licences module when the app is built. */
export function registerLicenceMaterialCheck(db: object, fn: LicenceMaterialCheck): void {
  checks.set(db, fn);
}

/** Each licence material resolved by the registered check; its problems become field errors. */
export async function resolveLicenceMaterials(db: object, impl: ImplementationContent, applicant: LicenceMaterialApplicant, given: MaterialInput[], errors: FieldError[]): Promise<MaterialInput[]> {
  const out: MaterialInput[] = [];
  const check = checks.get(db);
  for (const m of given) {
    if (m.source !== 'licence') {
      out.push(m);
      continue;
    }
    const field = `materials.${m.materialId}`;
    const material = impl.materials.find((x) => x.id === m.materialId)!;
    if (!m.reference?.trim()) errors.push({ field, message: '请选择电子证照，或填写证照二维码内容' });
    else if (!check) errors.push({ field, message: '本节点暂不能复用电子证照，请上传材料' });
    else {
      const r = await check(applicant, material, m.reference.trim());
      if (r.ok) out.push({ materialId: m.materialId, source: 'licence', reference: r.reference });
      else errors.push({ field, message: r.message });
    }
  }
  return out;
}
