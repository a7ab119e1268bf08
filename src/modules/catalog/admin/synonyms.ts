// The synonym table (群众说法 → 规范名称) as an admin page with add, edit and delete forms that
// work without JavaScript. Adding and deleting go through the search service (its checks and
// audit records); editing changes a row in place in one transaction with its own audit
// record and, like the service, bumps the search vocabulary's generation so every node
// reloads it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { inTransaction, type Db } from '../../../platform/db/database.ts';
import { recordAudit, type AuditActor } from '../../../platform/audit/audit.ts';
import { access, type StaffRole } from '../../../platform/http/access.ts';
import { AppError, isAppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import type { RegionService } from '../../regions/index.ts';
import { CatalogSearch } from '../search/service.ts';
import * as searchStore from '../search/store.ts';
import { normalise } from '../search/text.ts';
import { adminCrumb, home, hasRole, PAGES, page } from './view.ts';

const ADMINS: StaffRole[] = ['platform_admin', 'region_admin'];
const DONE: Record<string, string> = { added: '已新增同义词', updated: '已修改同义词', deleted: '已删除同义词' };
const Form = Type.Object({ phrase: Type.String({ maxLength: 200 }), terms: Type.String({ maxLength: 4000 }) });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** The form's input checked like the API's body schema; field ids carry the row's suffix. */
export function readSynonymForm(form: { phrase: string; terms: string }, suffix = ''): { phrase: string; terms: string[]; errors: FieldError[] } {
  const phrase = form.phrase.trim();
  const terms = form.terms.split(/[\r\n,，、;；]+/).map((t) => t.trim()).filter(Boolean);
  const errors: FieldError[] = [];
  if (phrase.length < 2 || phrase.length > 40) errors.push({ field: `phrase${suffix}`, message: '群众说法应为 2 到 40 个字' });
  if (!terms.length) errors.push({ field: `terms${suffix}`, message: '请填写至少一个规范名称' });
  else if (terms.length > 10) errors.push({ field: `terms${suffix}`, message: '规范名称最多 10 个' });
  else if (terms.some((t) => t.length < 2 || t.length > 100)) errors.push({ field: `terms${suffix}`, message: '每个规范名称应为 2 到 100 个字' });
  return { phrase, terms, errors };
}

/** Changes one synonym row, refusing a phrase another row already has. */
export async function updateSynonym(db: Db, id: number, input: { phrase: string; terms: string[] }, actor: AuditActor): Promise<void> {
  const phrase = normalise(input.phrase).replace(/ /g, '');
  const terms = [...new Set(input.terms.map((t) => t.trim()).filter(Boolean))];
  if (phrase.length < 2) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'phrase', message: '说法至少 2 个字' }] });
  await inTransaction(db, async (tx) => {
    const row = await tx.selectFrom('catalog_search_synonym').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('CATALOG_SYNONYM_NOT_FOUND', { detail: String(id) });
    const other = await searchStore.findSynonym(tx, { phrase });
    if (other && Number(other.id) !== id) throw new AppError('CATALOG_SYNONYM_EXISTS', { detail: phrase });
    await tx.updateTable('catalog_search_synonym').set({ phrase, terms }).where('id', '=', id).execute();
    await searchStore.bumpGeneration(tx);
    await recordAudit(tx, { actor, action: 'catalog.search.synonym.update', targetType: 'catalog_search_synonym', targetId: String(id), change: { before: { phrase: row.phrase, terms: row.terms }, after: { phrase, terms } } });
  });
}

/** A refusal as errors on the form's fields; null for errors the page cannot show. */
function formErrors(err: unknown, suffix: string): { errors: FieldError[]; status: number } | null {
  if (!isAppError(err)) return null;
  if (err.code === 'CATALOG_SYNONYM_EXISTS') return { errors: [{ field: `phrase${suffix}`, message: `${err.message}：${err.detail ?? ''}` }], status: err.status };
  if (err.code === 'VALIDATION_FAILED') return { errors: (err.errors ?? []).map((e) => ({ field: `${e.field}${suffix}`, message: e.message })), status: err.status };
  return null;
}

export function synonymRoutes(app: FastifyInstance, ctx: AppContext, regions: RegionService): void {
  const search = new CatalogSearch(ctx.db, regions);
  type State = { errors?: FieldError[]; status?: number; add?: { phrase: string; terms: string }; edit?: { id: number; phrase: string; terms: string } };

  async function synonymPage(req: FastifyRequest, reply: FastifyReply, s: State = {}) {
    const rows = await search.synonyms();
    const q = req.query as { done?: string; edit?: number };
    const editId = s.edit?.id ?? q.edit ?? null;
    return ctx.render.page(
      req,
      reply,
      `${PAGES}/synonyms.eta`,
      { rows, canEdit: hasRole(req, ADMINS), editId, edit: s.edit ?? null, add: s.add ?? { phrase: '', terms: '' }, errors: s.errors ?? [], done: q.done ? (DONE[q.done] ?? null) : null },
      { title: '搜索同义词', status: s.status, breadcrumbs: [home, adminCrumb, { label: '搜索同义词' }] },
    );
  }

  app.get('/admin/catalog/synonyms', {
    config: { access: access.staff([...ADMINS, 'auditor']) },
    schema: { ...page, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })), edit: Type.Optional(Type.Integer({ minimum: 1 })) }) },
    handler: async (req, reply) => synonymPage(req, reply),
  });

  app.post('/admin/catalog/synonyms', {
    config: { access: access.staff(ADMINS) },
    schema: { ...page, body: Form },
    handler: async (req, reply) => {
      const form = req.body as { phrase: string; terms: string };
      const read = readSynonymForm(form);
      if (read.errors.length) return synonymPage(req, reply, { errors: read.errors, status: 400, add: form });
      try {
        await search.addSynonym({ phrase: read.phrase, terms: read.terms }, req.actor);
      } catch (err) {
        const shown = formErrors(err, '');
        if (!shown) throw err;
        return synonymPage(req, reply, { ...shown, add: form });
      }
      return reply.redirect('/admin/catalog/synonyms?done=added', 303);
    },
  });

  app.post('/admin/catalog/synonyms/:id', {
    config: { access: access.staff(ADMINS) },
    schema: { ...page, params: IdParams, body: Form },
    handler: async (req, reply) => {
      const { id } = req.params as { id: number };
      const form = req.body as { phrase: string; terms: string };
      const suffix = `-${id}`;
      const read = readSynonymForm(form, suffix);
      if (read.errors.length) return synonymPage(req, reply, { errors: read.errors, status: 400, edit: { id, ...form } });
      try {
        await updateSynonym(ctx.db, id, read, req.actor);
      } catch (err) {
        const shown = formErrors(err, suffix);
        if (!shown) throw err;
        return synonymPage(req, reply, { ...shown, edit: { id, ...form } });
      }
      return reply.redirect('/admin/catalog/synonyms?done=updated', 303);
    },
  });

  app.post('/admin/catalog/synonyms/:id/delete', {
    config: { access: access.staff(ADMINS) },
    schema: { ...page, params: IdParams },
    handler: async (req, reply) => {
      await search.removeSynonym((req.params as { id: number }).id, req.actor);
      return reply.redirect('/admin/catalog/synonyms?done=deleted', 303);
    },
  });
}
