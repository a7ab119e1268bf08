// The field-by-field implementation editor's page and save (impl-form.ts does the mapping).
// It saves through the same service call as the JSON editor, with the same lockVersion
// rule; a 409 shows what the other person saved next to what this form would have saved.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/http/access.ts';
import { isAppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import type { CatalogService, EntryView } from '../service.ts';
import type { BasicItemContent, ImplementationContent } from '../schemas.ts';
import { diffContent } from '../diff.ts';
import { compact, contentFromForm, FEE_LABELS, fieldErrorFor, formFromBody, formFromContent, LABELS, MAT_LABELS, type ImplForm } from './impl-form.ts';
import { adminCrumb, home, labels, PAGES, pageErrors, showValue } from './view.ts';

/** Fields of an implementation fixed at creation or dictated by its basic item (三级四同). */
const LOCKED = ['basicItemId', 'name', 'basicCode', 'itemType', 'legalBasis', 'regionCode', 'orgId', 'sequence'] as const;

export interface EditState {
  form: ImplForm;
  lockVersion: number;
  errors?: FieldError[];
  /** On a conflict: what differs between the version saved meanwhile and this form. */
  conflict?: { version: number; changes: { path: string; theirs: string; mine: string }[] } | null;
  status?: number;
}

export async function implEditPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, entry: EntryView, org: string | null, s: EditState) {
  const name = (entry.content as { name: string }).name;
  return ctx.render.page(
    req,
    reply,
    `${PAGES}/edit-impl.eta`,
    { entry, org, labels, L: LABELS, MAT: MAT_LABELS, FEE: FEE_LABELS, form: s.form, lockVersion: s.lockVersion, errors: s.errors ?? [], conflict: s.conflict ?? null },
    { title: `修改：${name}`, status: s.status, breadcrumbs: [home, adminCrumb, { label: name, href: `/admin/catalog/entries/${entry.id}` }, { label: '修改' }] },
  );
}

export function initialState(entry: EntryView): EditState {
  return { form: formFromContent(entry.content as ImplementationContent), lockVersion: entry.lockVersion };
}

/** Handles a POST of the field form: re-render for "add one more", else validate and save. Returns null when saved. */
export async function saveImplForm(catalog: CatalogService, entry: EntryView, body: Record<string, unknown>, actor: Actor): Promise<EditState | null> {
  const lockVersion = Number(body.lockVersion);
  const add = typeof body.add === 'string' ? body.add : undefined;
  if (add === 'fee' || add === 'mat') return { form: formFromBody(body, add), lockVersion };
  const form = compact(formFromBody(body));
  const current = entry.content as ImplementationContent;
  const basic = (await catalog.published<BasicItemContent>(entry.basicItemId!))?.content;
  // The locked fields come from the entry, the 三级四同 ones from the published basic item.
  const base = { ...current, ...Object.fromEntries(LOCKED.map((k) => [k, current[k]])), ...(basic ? { name: basic.name, basicCode: basic.code, itemType: basic.itemType, legalBasis: basic.legalBasis } : {}) } as ImplementationContent;
  const built = contentFromForm(form, base);
  if (!built.content) return { form, lockVersion, errors: built.errors, status: 400 };
  try {
    await catalog.update(entry.id, built.content, lockVersion, actor);
    return null;
  } catch (err) {
    if (isAppError(err) && err.code === 'VALIDATION_FAILED' && err.errors?.length) return { form, lockVersion, errors: err.errors.map((e) => fieldErrorFor(e.field, e.message, form)), status: err.status };
    if (isAppError(err) && err.code === 'CATALOG_EDIT_CONFLICT') {
      const latest = await catalog.get(entry.id);
      const changes = diffContent(latest.content as never, built.content as never).map((d) => ({ path: d.path, theirs: showValue(d.before), mine: showValue(d.after) }));
      return { form, lockVersion, errors: [{ field: 'conflict', message: '您打开此页后，别人保存了新的版本；您的修改尚未保存' }], conflict: { version: latest.lockVersion, changes }, status: 409 };
    }
    const shown = pageErrors(err, 'advanced');
    if (!shown) throw err;
    return { form, lockVersion, errors: shown.errors, status: shown.status };
  }
}
