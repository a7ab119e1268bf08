// The catalogue's rules: the versioned lifecycle draft → in review → published → withdrawn
// shared by basic items and implementations, 三级四同 at publication, and catalogue revision
// (动态调整) flowing from a basic item down to its implementations.
import type { Db, Queryable, Tx } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/database.ts';
import { actorId, recordAudit } from '../../platform/audit/audit.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import { AppError } from '../../platform/http/errors.ts';
import { assertInRegion, type Actor } from '../../platform/http/access.ts';
import type { RegionService } from '../regions/index.ts';
import { checkConsistency, describeDeviation, type Deviation } from './consistency.ts';
import { implementationCode } from './codes.ts';
import { diffContent, type DiffEntry } from './diff.ts';
import type { BasicItemContent, ImplementationContent } from './schemas.ts';
import * as store from './store.ts';
import { validateBasicItem, validateImplementation } from './validation.ts';
import { refreshSearchIndex } from './search/index.ts';

export type CatalogActor = Actor | { kind: 'system'; id: string };

export interface EntryView {
  id: string;
  kind: store.EntryKind;
  code: string;
  regionCode: string;
  orgId: string | null;
  basicItemId: string | null;
  status: store.EntryStatus;
  publishedVersion: number | null;
  workingVersion: number;
  workingState: store.VersionState;
  lockVersion: number;
  needsReview: boolean;
  /** The newest version's content (a draft, in review, or the published one). */
  content: BasicItemContent | ImplementationContent;
  updatedAt: Date;
}

/** New implementations get their sequence from the platform, not from the editor. */
export type ImplementationInput = Omit<ImplementationContent, 'sequence'> & { sequence?: number };

function authorOf(actor: CatalogActor): string {
  return actorId(actor) ?? 'anonymous';
}

export class CatalogService {
  private readonly db: Db;
  private readonly regions: RegionService;

  constructor(db: Db, regions: RegionService) {
    this.db = db;
    this.regions = regions;
  }

  private async view(db: Queryable, entry: store.EntryRow): Promise<EntryView> {
    const working = await store.findVersion(db, entry.id, entry.working_version);
    return {
      id: entry.id,
      kind: entry.kind,
      code: entry.code,
      regionCode: entry.region_code,
      orgId: entry.org_id,
      basicItemId: entry.basic_item_id,
      status: entry.status,
      publishedVersion: entry.published_version,
      workingVersion: entry.working_version,
      workingState: working!.state,
      lockVersion: entry.lock_version,
      needsReview: entry.needs_review,
      content: working!.content as BasicItemContent,
      updatedAt: entry.updated_at,
    };
  }

  async get(id: string): Promise<EntryView> {
    const entry = await store.findEntry(this.db, id);
    if (!entry) throw new AppError('CATALOG_ENTRY_NOT_FOUND', { detail: id });
    return this.view(this.db, entry);
  }

  /** The published content, or null when the entry has never been published or was withdrawn. */
  async published<T extends BasicItemContent | ImplementationContent>(id: string): Promise<{ entry: store.EntryRow; content: T } | null> {
    const entry = await store.findEntry(this.db, id);
    if (!entry || entry.status === 'withdrawn' || entry.published_version === null) return null;
    const v = await store.findVersion(this.db, entry.id, entry.published_version);
    return { entry, content: v!.content as T };
  }

  private async publishedBasicItem(db: Queryable, basicItemId: string): Promise<BasicItemContent> {
    const entry = await store.findEntry(db, basicItemId);
    if (!entry || entry.kind !== 'basic_item') throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'basicItemId', message: '没有这个基本目录事项' }] });
    if (entry.published_version === null || entry.status === 'withdrawn') throw new AppError('CATALOG_BASIC_ITEM_NOT_PUBLISHED', { detail: entry.code });
    return (await store.findVersion(db, entry.id, entry.published_version))!.content as BasicItemContent;
  }

  async createBasicItem(content: unknown, regionCode: string, actor: CatalogActor): Promise<EntryView> {
    const c = validateBasicItem(content);
    if (actor.kind !== 'system') assertInRegion(actor, regionCode);
    return inTransaction(this.db, async (tx) => {
      if (await store.findEntryByCode(tx, 'basic_item', c.code)) throw new AppError('CATALOG_CODE_TAKEN', { detail: c.code });
      const entry = await store.insertEntry(tx, { kind: 'basic_item', code: c.code, regionCode, orgId: null, basicItemId: null });
      await store.insertVersion(tx, { entryId: entry.id, version: 1, content: c, state: 'draft', diff: [], authorId: authorOf(actor) });
      await recordAudit(tx, { actor, action: 'catalog.basic_item.create', targetType: 'catalog_entry', targetId: entry.id, regionCode, change: c });
      return this.view(tx, entry);
    });
  }

  async createImplementation(input: ImplementationInput, actor: CatalogActor): Promise<EntryView> {
    const basic = await this.publishedBasicItem(this.db, input.basicItemId);
    const sequence = input.sequence ?? (await store.nextSequence(this.db, input.basicItemId, input.regionCode));
    const content = { ...input, sequence } as ImplementationContent;
    const { org } = await validateImplementation(content, basic, this.regions);
    if (actor.kind !== 'system') {
      assertInRegion(actor, content.regionCode);
      if (actor.kind === 'staff' && !actor.roles.some((r) => r === 'region_admin' || r === 'platform_admin') && actor.orgId !== org.id) {
        throw new AppError('FORBIDDEN', { detail: '部门管理员只能维护本部门的实施清单' });
      }
    }
    const code = implementationCode({ basicCode: basic.code, regionCode: content.regionCode, sequence, creditCode: org.creditCode ?? '000000000000000000' });
    return inTransaction(this.db, async (tx) => {
      if (await store.findEntryByCode(tx, 'implementation', code)) throw new AppError('CATALOG_CODE_TAKEN', { detail: code });
      const entry = await store.insertEntry(tx, { kind: 'implementation', code, regionCode: content.regionCode, orgId: org.id, basicItemId: input.basicItemId });
      await store.insertVersion(tx, { entryId: entry.id, version: 1, content, state: 'draft', diff: [], authorId: authorOf(actor) });
      await recordAudit(tx, { actor, action: 'catalog.implementation.create', targetType: 'catalog_entry', targetId: entry.id, regionCode: content.regionCode, change: { code, content } });
      return this.view(tx, entry);
    });
  }

  /** Locks the entry for a lifecycle step and checks the caller's view of it is current. */
  private async lockEntry(tx: Tx, id: string, actor: CatalogActor, lockVersion?: number): Promise<store.EntryRow> {
    const entry = await store.findEntry(tx, id, true);
    if (!entry) throw new AppError('CATALOG_ENTRY_NOT_FOUND', { detail: id });
    if (actor.kind !== 'system') assertInRegion(actor, entry.region_code);
    if (actor.kind === 'staff' && entry.kind === 'implementation' && !actor.roles.some((r) => r === 'region_admin' || r === 'platform_admin') && actor.orgId !== entry.org_id) {
      throw new AppError('FORBIDDEN', { detail: '部门管理员只能维护本部门的实施清单' });
    }
    if (lockVersion !== undefined && lockVersion !== entry.lock_version) {
      const current = await this.view(tx, entry);
      throw new AppError('CATALOG_EDIT_CONFLICT', { detail: `您编辑的是第 ${lockVersion} 次修改后的内容，当前已是第 ${entry.lock_version} 次`, errors: [{ field: 'lockVersion', message: JSON.stringify({ lockVersion: current.lockVersion, workingVersion: current.workingVersion, content: current.content }) }] });
    }
    return entry;
  }

  /** Saves new content as a new draft version (a published version is never changed). */
  async update(id: string, content: unknown, lockVersion: number, actor: CatalogActor): Promise<EntryView> {
    const existing = await this.get(id);
    let validated: BasicItemContent | ImplementationContent;
    if (existing.kind === 'basic_item') {
      validated = validateBasicItem(content);
      if (validated.code !== existing.code) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'code', message: '基本编码一经创建不能修改' }] });
    } else {
      const c = content as ImplementationContent;
      const prev = existing.content as ImplementationContent;
      if (c.regionCode !== prev.regionCode || c.orgId !== prev.orgId || c.basicItemId !== prev.basicItemId || c.sequence !== prev.sequence) {
        throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'orgId', message: '实施区划、实施机构、基本目录和序号一经创建不能修改' }] });
      }
      await validateImplementation(c, await this.publishedBasicItem(this.db, existing.basicItemId!), this.regions);
      validated = c;
    }
    return inTransaction(this.db, async (tx) => {
      const entry = await this.lockEntry(tx, id, actor, lockVersion);
      const working = (await store.findVersion(tx, entry.id, entry.working_version))!;
      if (working.state === 'in_review') throw new AppError('CATALOG_INVALID_STATE', { detail: '审核中的版本不能修改，请先撤回审核' });
      const diff = diffContent(working.content, validated);
      if (diff.length === 0) return this.view(tx, entry);
      const version = entry.working_version + 1;
      if (working.state === 'draft' || working.state === 'rejected') await store.setVersionState(tx, entry.id, working.version, 'superseded');
      await store.insertVersion(tx, { entryId: entry.id, version, content: validated, state: 'draft', diff, authorId: authorOf(actor) });
      await store.updateEntry(tx, entry.id, { working_version: version, status: entry.status === 'in_review' ? 'draft' : entry.status, bumpLock: true });
      await recordAudit(tx, { actor, action: `catalog.${entry.kind}.update`, targetType: 'catalog_entry', targetId: entry.id, regionCode: entry.region_code, change: { version, diff } });
      return this.view(tx, (await store.findEntry(tx, entry.id))!);
    });
  }

  /** Deviations of an implementation version from its published basic item. */
  async deviations(content: ImplementationContent): Promise<Deviation[]> {
    return checkConsistency(await this.publishedBasicItem(this.db, content.basicItemId), content);
  }

  private async refuseInconsistent(tx: Tx, entry: store.EntryRow, content: unknown): Promise<void> {
    if (entry.kind !== 'implementation') return;
    const devs = checkConsistency(await this.publishedBasicItem(tx, entry.basic_item_id!), content as ImplementationContent);
    if (devs.length) {
      throw new AppError('CATALOG_INCONSISTENT', { errors: devs.map((d) => ({ field: d.field, message: describeDeviation(d) })), detail: devs.map(describeDeviation).join('；') });
    }
  }

  async submit(id: string, actor: CatalogActor, lockVersion?: number): Promise<EntryView> {
    return inTransaction(this.db, async (tx) => {
      const entry = await this.lockEntry(tx, id, actor, lockVersion);
      const working = (await store.findVersion(tx, entry.id, entry.working_version))!;
      if (working.state !== 'draft') throw new AppError('CATALOG_INVALID_STATE', { detail: `当前版本状态为 ${working.state}，只有草稿可以提交审核` });
      await this.refuseInconsistent(tx, entry, working.content);
      await store.setVersionState(tx, entry.id, working.version, 'in_review');
      await store.updateEntry(tx, entry.id, { status: 'in_review', bumpLock: true });
      await recordAudit(tx, { actor, action: `catalog.${entry.kind}.submit`, targetType: 'catalog_entry', targetId: entry.id, regionCode: entry.region_code, change: { version: working.version } });
      return this.view(tx, (await store.findEntry(tx, entry.id))!);
    });
  }

  /** Publishes the version in review. The reviewer may not be its author (four eyes). */
  async approve(id: string, actor: CatalogActor, note: string | null = null): Promise<EntryView> {
    return inTransaction(this.db, async (tx) => {
      const entry = await this.lockEntry(tx, id, actor);
      const working = (await store.findVersion(tx, entry.id, entry.working_version))!;
      if (working.state !== 'in_review') throw new AppError('CATALOG_INVALID_STATE', { detail: '没有待审核的版本' });
      if (actor.kind !== 'system' && working.author_id === authorOf(actor)) throw new AppError('CATALOG_SELF_APPROVAL');
      await this.refuseInconsistent(tx, entry, working.content);
      const previous = entry.published_version;
      if (previous !== null) await store.setVersionState(tx, entry.id, previous, 'superseded');
      await store.setVersionState(tx, entry.id, working.version, 'published', { by: authorOf(actor), note });
      await store.updateEntry(tx, entry.id, { status: 'published', published_version: working.version, needs_review: false, bumpLock: true });
      await refreshSearchIndex(tx, entry.id);
      await recordAudit(tx, { actor, action: `catalog.${entry.kind}.publish`, targetType: 'catalog_entry', targetId: entry.id, regionCode: entry.region_code, change: { version: working.version, previous, note } });
      await emitEvent(tx, { topic: `catalog.${entry.kind}.published`, payload: { id: entry.id, code: entry.code, version: working.version }, idempotencyKey: `catalog.publish:${entry.id}:${working.version}`, regionCode: entry.region_code });
      if (entry.kind === 'basic_item' && previous !== null) await this.reviseImplementations(tx, entry, working.diff, actor);
      return this.view(tx, (await store.findEntry(tx, entry.id))!);
    });
  }

  /** 动态调整: a revised basic item puts its implementations up for review and tells their organisations. */
  private async reviseImplementations(tx: Tx, entry: store.EntryRow, diff: DiffEntry[], actor: CatalogActor): Promise<void> {
    const impls = await store.implementationsOf(tx, entry.id);
    if (impls.length === 0) return;
    await store.markNeedsReview(tx, entry.id);
    const changed = [...new Set(diff.map((d) => d.path.split(/[.[]/)[0]))].join('、');
    for (const impl of impls) {
      if (impl.org_id && impl.status !== 'withdrawn') {
        await store.insertNotification(tx, { orgId: impl.org_id, entryId: impl.id, message: `基本目录事项 ${entry.code} 已调整（${changed || '内容'}），请复核实施清单 ${impl.code}` });
      }
    }
    await emitEvent(tx, { topic: 'catalog.basic_item.revised', payload: { id: entry.id, code: entry.code, implementations: impls.map((i) => i.id), changed }, idempotencyKey: `catalog.revised:${entry.id}:${entry.working_version}`, regionCode: entry.region_code });
    await recordAudit(tx, { actor, action: 'catalog.basic_item.revise', targetType: 'catalog_entry', targetId: entry.id, regionCode: entry.region_code, change: { implementations: impls.length, changed } });
  }

  async reject(id: string, actor: CatalogActor, reason: string): Promise<EntryView> {
    return inTransaction(this.db, async (tx) => {
      const entry = await this.lockEntry(tx, id, actor);
      const working = (await store.findVersion(tx, entry.id, entry.working_version))!;
      if (working.state !== 'in_review') throw new AppError('CATALOG_INVALID_STATE', { detail: '没有待审核的版本' });
      await store.setVersionState(tx, entry.id, working.version, 'rejected', { by: authorOf(actor), note: reason });
      await store.updateEntry(tx, entry.id, { status: entry.published_version !== null ? 'published' : 'draft', bumpLock: true });
      await recordAudit(tx, { actor, action: `catalog.${entry.kind}.reject`, targetType: 'catalog_entry', targetId: entry.id, regionCode: entry.region_code, change: { version: working.version, reason } });
      return this.view(tx, (await store.findEntry(tx, entry.id))!);
    });
  }

  async withdraw(id: string, actor: CatalogActor, reason: string): Promise<EntryView> {
    return inTransaction(this.db, async (tx) => {
      const entry = await this.lockEntry(tx, id, actor);
      if (entry.status !== 'published' || entry.published_version === null) throw new AppError('CATALOG_INVALID_STATE', { detail: '只有已发布的事项可以取消' });
      await store.setVersionState(tx, entry.id, entry.published_version, 'withdrawn', { by: authorOf(actor), note: reason });
      await store.updateEntry(tx, entry.id, { status: 'withdrawn', bumpLock: true });
      await refreshSearchIndex(tx, entry.id);
      await recordAudit(tx, { actor, action: `catalog.${entry.kind}.withdraw`, targetType: 'catalog_entry', targetId: entry.id, regionCode: entry.region_code, change: { version: entry.published_version, reason } });
      await emitEvent(tx, { topic: `catalog.${entry.kind}.withdrawn`, payload: { id: entry.id, code: entry.code }, idempotencyKey: `catalog.withdraw:${entry.id}:${entry.published_version}`, regionCode: entry.region_code });
      return this.view(tx, (await store.findEntry(tx, entry.id))!);
    });
  }

  async versions(id: string): Promise<{ version: number; state: store.VersionState; authorId: string; createdAt: Date; decidedBy: string | null; decisionNote: string | null; diff: DiffEntry[] }[]> {
    await this.get(id);
    return (await store.listVersions(this.db, id)).map((v) => ({ version: v.version, state: v.state, authorId: v.author_id, createdAt: v.created_at, decidedBy: v.decided_by, decisionNote: v.decision_note, diff: v.diff }));
  }

  list(filter: store.EntryFilter, which: 'working' | 'published', limit?: number, offset?: number) {
    return store.listEntriesWithContent(this.db, filter, which, limit, offset);
  }

  notifications(orgId: string) {
    return store.listNotifications(this.db, orgId);
  }
}
