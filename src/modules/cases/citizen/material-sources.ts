// Where a material can come from besides a fresh upload: the applicant's earlier cases now,
// e-licences (issue 8) and shared data later. Each capability registers a source; the apply
// wizard lists the candidates beside the file input, and a choice is resolved again on the
// server (never trusted from the form), recording the source kind and its reference.
import type { Material } from '../../catalog/index.ts';
import type { AppContext } from '../../../platform/module.ts';
import type { Applicant, DraftMaterial } from './store.ts';
import * as cases from '../store.ts';

export interface MaterialCandidate {
  /** Stable within the source, e.g. `case:320100…` or a licence identifier. */
  reference: string;
  title: string;
  fileHash?: string;
  fileName?: string;
  mime?: string;
  sizeBytes?: number;
}

export interface MaterialSource {
  id: string;
  label: string;
  /** What a chosen candidate is recorded as on the case (case_material.source). */
  kind: 'upload' | 'licence' | 'data';
  candidates(applicant: Applicant, material: Material, ctx: AppContext): Promise<MaterialCandidate[]>;
  /**
   * When reusing a candidate needs the applicant's consent (an e-licence): the authorisation
   * the review step shows; submitting the case is the act of consent.
   */
  authorisation?(input: { title: string; reference: string; department: string; itemName: string }): string;
}

const sources = new Map<string, MaterialSource>();

/**
 * Adds (or replaces, by id: several apps in one process register the same source) a source.
 * A licence source: `{ id: 'licence', label: '电子证照', kind: 'licence', candidates }`.
 */
export function registerMaterialSource(source: MaterialSource): void {
  if (!/^[a-z][a-z0-9_-]{0,30}$/.test(source.id)) throw new Error(`material source id ${source.id} is not a short lower-case name`);
  sources.set(source.id, source);
}

export function materialSources(): MaterialSource[] {
  return [...sources.values()];
}

/** The authorisation text for a chosen material of this kind, if its source asks for consent. */
export function authorisationFor(kind: MaterialSource['kind'], input: { title: string; reference: string; department: string; itemName: string }): string | null {
  const source = [...sources.values()].find((s) => s.kind === kind && s.authorisation);
  return source?.authorisation ? source.authorisation(input) : null;
}

export interface OfferedCandidate extends MaterialCandidate {
  sourceId: string;
  sourceLabel: string;
  kind: MaterialSource['kind'];
  /** The form value that names this choice: `<source id>|<reference>`. */
  value: string;
}

/** Every source's candidates for one material; a failing source is skipped, not fatal. */
export async function candidatesFor(ctx: AppContext, applicant: Applicant, material: Material): Promise<OfferedCandidate[]> {
  const out: OfferedCandidate[] = [];
  for (const s of sources.values()) {
    let found: MaterialCandidate[];
    try {
      found = await s.candidates(applicant, material, ctx);
    } catch (err) {
      ctx.log.warn({ err, source: s.id }, 'material source failed');
      continue;
    }
    const seen = new Set<string>();
    for (const c of found) {
      if (seen.has(c.reference)) continue;
      seen.add(c.reference);
      out.push({ ...c, sourceId: s.id, sourceLabel: s.label, kind: s.kind, value: `${s.id}|${c.reference}` });
    }
  }
  return out;
}

/** The draft material a posted choice stands for, looked up afresh; null if it is not offered. */
export async function resolveChoice(ctx: AppContext, applicant: Applicant, material: Material, value: string): Promise<DraftMaterial | null> {
  const offered = (await candidatesFor(ctx, applicant, material)).find((c) => c.value === value);
  if (!offered) return null;
  return {
    source: offered.kind,
    reference: offered.reference,
    title: offered.title,
    ...(offered.fileHash ? { fileHash: offered.fileHash, fileName: (offered.fileName ?? offered.title).slice(0, 200) } : {}),
    ...(offered.mime ? { mime: offered.mime } : {}),
    ...(offered.sizeBytes !== undefined ? { sizeBytes: offered.sizeBytes } : {}),
  };
}

/** How far back the previous-application source looks. */
const PREVIOUS_CASES = 20;

/**
 * A material the applicant uploaded in one of their earlier cases: the same material id or
 * the same material name, newest case first. The stored file is reused by its hash.
 */
export const previousApplicationSource: MaterialSource = {
  id: 'previous',
  label: '以前申请时提交的材料',
  kind: 'upload',
  async candidates(applicant, material, ctx) {
    const rows = await cases.listApplicantCases(ctx.db, applicant.kind, applicant.id, PREVIOUS_CASES);
    const out: MaterialCandidate[] = [];
    const hashes = new Set<string>();
    for (const row of rows) {
      for (const m of await cases.listMaterials(ctx.db, row.id)) {
        if (!m.file_hash || m.source !== 'upload' || (m.material_id !== material.id && m.name !== material.name) || hashes.has(m.file_hash)) continue;
        hashes.add(m.file_hash);
        out.push({
          reference: `case:${row.case_number}`,
          title: `${m.file_name ?? m.name}（办件 ${row.case_number}《${row.item_name}》）`,
          fileHash: m.file_hash,
          ...(m.file_name ? { fileName: m.file_name } : {}),
          ...(m.mime ? { mime: m.mime } : {}),
          ...(m.size_bytes !== null ? { sizeBytes: m.size_bytes } : {}),
        });
      }
    }
    return out;
  },
};

registerMaterialSource(previousApplicationSource);
