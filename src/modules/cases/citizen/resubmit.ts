// The applicant's answer to a correction notice (补正): new answers and replaced materials,
// written with their audit record in the same transaction as the `resubmit` transition, at
// the version the applicant saw — either all of it lands or none.
import { isDeepStrictEqual } from 'node:util';
import { recordAudit } from '../../../platform/audit/audit.ts';
import type { Actor } from '../../../platform/http/access.ts';
import type { CaseService, MaterialInput } from '../service.ts';
import { replaceMaterials } from '../store.ts';

export interface CorrectionInput {
  version: number;
  answers: Record<string, unknown>;
  /** Only the materials that changed, with their names from the implementation. */
  materials: (MaterialInput & { name: string })[];
}

export async function resubmitWithChanges(service: CaseService, actor: Actor, caseId: string, input: CorrectionInput, meta: { requestId?: string }) {
  // The service checks the applicant, the version and the state, then runs this in the
  // transition's own transaction: the corrected content and 补正后重新提交 commit together.
  return service.act(actor, caseId, 'resubmit', {
    version: input.version,
    alongside: async (tx, row) => {
      const before = (row.answers ?? {}) as Record<string, unknown>;
      const changedFields = [...new Set([...Object.keys(before), ...Object.keys(input.answers)])].filter((k) => !isDeepStrictEqual(before[k], input.answers[k]));
      if (!changedFields.length && !input.materials.length) return {};
      await replaceMaterials(
        tx,
        row.id,
        input.materials.map((m) => ({ material_id: m.materialId, name: m.name, source: m.source === 'promised' ? 'upload' : m.source, file_hash: m.fileHash ?? null, file_name: m.fileName ?? null, mime: m.mime ?? null, size_bytes: m.sizeBytes ?? null, reference: m.reference ?? null })),
      );
      await recordAudit(tx, {
        actor,
        action: 'case.correction_update',
        targetType: 'service_case',
        targetId: row.id,
        regionCode: row.region_code,
        change: { fields: changedFields, materials: input.materials.map((m) => ({ materialId: m.materialId, source: m.source, fileHash: m.fileHash ?? null, reference: m.reference ?? null })) },
        requestId: meta.requestId,
      });
      return { answers: input.answers };
    },
  }, meta);
}
