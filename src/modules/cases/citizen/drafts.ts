// The rules of an application before it becomes a case: who may apply for what (published,
// online, the item's real-name level, the agent's or proxy's scope), the one open draft per
// applicant and item, and which materials a step may leave out and which it may not.
import type { Actor, RealNameLevel } from '../../../platform/http/access.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { checkUpload, type FileStore } from '../../../platform/files/index.ts';
import { createCatalogService, type ImplementationContent, type Material } from '../../catalog/index.ts';
import { assertCompanyScope, assertProxyScope } from '../../identity/index.ts';
import type { MaterialInput } from '../service.ts';
import { applicantOf } from './prefill.ts';
import { resolveChoice } from './material-sources.ts';
import * as store from './store.ts';

export interface Application {
  implementationId: string;
  implementationCode: string;
  impl: ImplementationContent;
  applicant: store.Applicant;
}

/**
 * The published implementation the actor may apply for online, or an error: 404 when it is
 * not published, CASE_NOT_ONLINE, STEP_UP_REQUIRED (a browser is sent to step up and back).
 */
export async function applicationFor(ctx: AppContext, actor: Actor, implementationId: string, returnTo?: string): Promise<Application> {
  const published = await createCatalogService(ctx.db).published<ImplementationContent>(implementationId);
  if (!published || published.entry.kind !== 'implementation') throw new AppError('CATALOG_ENTRY_NOT_FOUND');
  const impl = published.content;
  if (!impl.channels.includes('online') || impl.onlineDepth < 3) throw new AppError('CASE_NOT_ONLINE');
  if (actor.kind === 'citizen' && actor.realNameLevel < impl.minRealNameLevel) {
    const next = returnTo ? `&next=${encodeURIComponent(returnTo)}` : '';
    throw new AppError('STEP_UP_REQUIRED', { detail: `该事项网上申请需要实名认证等级 L${impl.minRealNameLevel}`, location: `/account/step-up?level=${impl.minRealNameLevel as RealNameLevel}${next}` });
  }
  assertProxyScope(actor, published.entry.code);
  assertCompanyScope(actor, published.entry.code, 'apply');
  const applicant = applicantOf(actor);
  if (!applicant) throw new AppError('FORBIDDEN');
  return { implementationId: published.entry.id, implementationCode: published.entry.code, impl, applicant };
}

/** The applicant's open draft of one item, created on first use. */
export async function draftOf(ctx: AppContext, app: Application, init: { answers?: Record<string, unknown>; originCaseId?: string | null } = {}): Promise<store.DraftRow> {
  const { draft } = await store.openDraft(ctx.db, app.applicant, { implementationId: app.implementationId, itemName: app.impl.name, regionCode: app.impl.regionCode, ...init });
  return draft;
}

/** A draft of the actor's own (as applicant); anyone else's is "not found", never "forbidden". */
export async function ownDraft(ctx: AppContext, actor: Actor, draftId: string): Promise<store.DraftRow> {
  const mine = applicantOf(actor);
  const draft = await store.findDraft(ctx.db, draftId);
  if (!mine || !draft || draft.case_id !== null || draft.applicant_kind !== mine.kind || draft.applicant_id !== mine.id) throw new AppError('CASE_DRAFT_NOT_FOUND');
  return draft;
}

/** The materials the wizard asks for, and whether the applicant must supply each. */
export function materialsAsked(impl: ImplementationContent): { material: Material; required: boolean; exempt: boolean }[] {
  return impl.materials.map((m) => ({
    material: m,
    // Conditional (好办) ones depend on answers the wizard does not ask; the platform fetches licence/data ones.
    required: m.required && m.source === 'upload' && !m.when,
    exempt: m.source !== 'upload',
  }));
}

export function missingMaterials(impl: ImplementationContent, given: Record<string, store.DraftMaterial>): FieldError[] {
  return materialsAsked(impl)
    .filter((a) => a.required && !given[a.material.id])
    .map((a) => ({ field: `materials.${a.material.id}`, message: `请上传“${a.material.name}”或选择可复用的材料` }));
}

/** The draft's materials as the case service takes them (only those the item still lists). */
export function materialsForSubmission(impl: ImplementationContent, given: Record<string, store.DraftMaterial>): MaterialInput[] {
  return impl.materials.flatMap((m) => {
    const d = given[m.id];
    if (!d) return [];
    return [{
      materialId: m.id,
      source: d.source,
      ...(d.fileHash ? { fileHash: d.fileHash } : {}),
      ...(d.fileName ? { fileName: d.fileName } : {}),
      ...(d.mime ? { mime: d.mime } : {}),
      ...(d.sizeBytes !== undefined ? { sizeBytes: d.sizeBytes } : {}),
      ...(d.reference ? { reference: d.reference } : {}),
    }];
  });
}

export interface PostedFile {
  filename: string;
  bytes: Buffer;
  /** Cut off at the size limit. */
  truncated: boolean;
}

/**
 * What a materials form changes: each file is checked by content before it is stored (a
 * refused one is not stored at all), a chosen candidate is looked up again at its source,
 * `remove` drops the current one. Returns the new set and field errors for the rest.
 */
export async function applyMaterialChoices(
  ctx: AppContext,
  files: FileStore,
  maxBytes: number,
  input: { applicant: store.Applicant; impl: ImplementationContent; current: Record<string, store.DraftMaterial>; choices: Record<string, string>; uploads: Map<string, PostedFile> },
): Promise<{ materials: Record<string, store.DraftMaterial>; errors: FieldError[] }> {
  const materials = { ...input.current };
  const errors: FieldError[] = [];
  for (const { material } of materialsAsked(input.impl)) {
    const field = `materials.${material.id}`;
    const file = input.uploads.get(field);
    if (file && file.bytes.length > 0) {
      if (file.truncated) {
        errors.push({ field, message: `文件过大，最大 ${Math.floor(maxBytes / 1048576)} MB` });
        continue;
      }
      const checked = checkUpload(file.bytes, file.filename, { maxBytes });
      if (!checked.ok) {
        errors.push({ field, message: checked.message });
        continue;
      }
      const stored = await files.put(file.bytes);
      materials[material.id] = { source: 'upload', fileHash: stored.sha256, fileName: file.filename.slice(0, 200), mime: checked.mime, sizeBytes: stored.size };
      continue;
    }
    const choice = input.choices[field];
    if (!choice || choice === 'keep' || choice === 'upload') continue;
    if (choice === 'remove') {
      delete materials[material.id];
      continue;
    }
    const resolved = await resolveChoice(ctx, input.applicant, material, choice);
    if (resolved) materials[material.id] = resolved;
    else errors.push({ field, message: '所选材料已不可用，请重新选择或上传' });
  }
  return { materials, errors };
}
