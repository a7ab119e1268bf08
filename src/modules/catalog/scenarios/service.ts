// 一件事 (scenarios): definitions kept by the province, and the bundle a region offers —
// each member resolved to the published implementation nearest the region (its own, then
// its parents', as search and themes inherit), one merged form and de-duplicated materials.
// The case workflow calls bundle() and split() through the catalogue's index.ts.
import type { Db } from '../../../platform/db/database.ts';
import { inTransaction } from '../../../platform/db/database.ts';
import { actorId, recordAudit, type AuditActor } from '../../../platform/audit/audit.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import { assertInRegion } from '../../../platform/http/access.ts';
import { isWellFormedRegionCode } from '../../../platform/region-code.ts';
import type { Region, RegionService } from '../../regions/index.ts';
import { diffContent } from '../diff.ts';
import { DEPARTMENT_TYPES, THEMES, type BasicItemContent, type ImplementationContent } from '../schemas.ts';
import type { CatalogService } from '../service.ts';
import { schemaErrors } from '../validation.ts';
import { mergeForms, splitAnswers, type FormMember, type MergedForm, type SplitPart, type SplitResult } from './form.ts';
import { bundleTotals, mergeMaterials, type BundleTotals, type MergedMaterial } from './materials.ts';
import { ScenarioInput, ScenarioUpdate } from './schema.ts';
import * as store from './store.ts';

export interface ScenarioMemberView {
  position: number;
  basicItemId: string;
  /** The member's key in merged forms and materials: its basic code. */
  key: string;
  name: string;
  departmentType: string;
  departmentName: string;
  note: string;
}

export interface ScenarioView {
  id: string;
  code: string;
  regionCode: string;
  name: string;
  audience: store.Audience;
  theme: string;
  themeName: string;
  description: string;
  status: store.ScenarioStatus;
  lockVersion: number;
  updatedAt: Date;
  members: ScenarioMemberView[];
}

export interface BundleMember extends ScenarioMemberView {
  available: boolean;
  /** Why the member cannot be applied for in this region (when not available). */
  reason: string | null;
  implementation: {
    id: string;
    code: string;
    regionCode: string;
    regionName: string;
    org: { id: string; name: string } | null;
    promisedLimitDays: number;
    legalLimitDays: number;
    visits: number;
    onlineDepth: number;
    feesFen: number;
    processSteps: { name: string; description: string }[];
    guideUrl: string;
  } | null;
}

export interface Bundle {
  scenario: Omit<ScenarioView, 'members'>;
  region: { code: string; name: string; fullName: string };
  /** Every member can be applied for in this region. */
  complete: boolean;
  missing: { key: string; name: string; reason: string }[];
  members: BundleMember[];
  form: MergedForm;
  materials: MergedMaterial[];
  totals: BundleTotals;
}

/** Merged answers split per member, each part naming the implementation it is for. */
export interface ScenarioSplit extends Omit<SplitResult, 'parts'> {
  parts: (SplitPart & { basicItemId: string; implementationId: string })[];
}

const ALL_THEMES: Record<string, string> = { ...THEMES.person, ...THEMES.company };

function authorOf(actor: AuditActor): string {
  return actorId(actor) ?? 'anonymous';
}

function fail(errors: FieldError[]): never {
  throw new AppError('VALIDATION_FAILED', { errors, detail: errors.map((e) => `${e.field}: ${e.message}`).join('; ') });
}

/** "南京市玄武区": the names below the province, as the header shows them. */
function fullName(path: Region[]): string {
  const named = path.filter((r) => r.level >= 2);
  return (named.length ? named : path).map((r) => r.name).join('');
}

export class ScenarioService {
  private readonly db: Db;
  private readonly catalog: CatalogService;
  private readonly regions: RegionService;

  constructor(db: Db, catalog: CatalogService, regions: RegionService) {
    this.db = db;
    this.catalog = catalog;
    this.regions = regions;
  }

  private async views(rows: store.ScenarioRow[]): Promise<ScenarioView[]> {
    const byId = await store.members(this.db, rows.map((r) => r.id));
    const out: ScenarioView[] = [];
    for (const r of rows) {
      const members: ScenarioMemberView[] = [];
      for (const m of byId.get(r.id) ?? []) {
        // The working version names the item even while a revision awaits review.
        const basic = (await this.catalog.get(m.basicItemId)).content as BasicItemContent;
        members.push({ position: m.position, basicItemId: m.basicItemId, key: basic.code, name: basic.name, departmentType: basic.departmentType, departmentName: DEPARTMENT_TYPES[basic.departmentType], note: m.note });
      }
      out.push({ id: r.id, code: r.code, regionCode: r.region_code, name: r.name, audience: r.audience, theme: r.theme, themeName: ALL_THEMES[r.theme] ?? r.theme, description: r.description, status: r.status, lockVersion: r.lock_version, updatedAt: r.updated_at, members });
    }
    return out;
  }

  async list(filter: { status?: store.ScenarioStatus; audience?: store.Audience } = {}): Promise<ScenarioView[]> {
    return this.views(await store.list(this.db, filter));
  }

  /** A scenario by code; drafts only when asked for (staff), else they do not exist. */
  async get(code: string, includeDraft = false): Promise<ScenarioView> {
    const row = /^[a-z][a-z0-9_]{1,39}$/.test(code) ? await store.findByCode(this.db, code) : null;
    if (!row || (!includeDraft && row.status !== 'published')) throw new AppError('CATALOG_SCENARIO_NOT_FOUND', { detail: code });
    return (await this.views([row]))[0]!;
  }

  /** Schema, theme and member checks, every problem by field. */
  private async check(input: Omit<ScenarioInput, 'code'> & { code?: string }, schema: typeof ScenarioInput | typeof ScenarioUpdate): Promise<void> {
    const errors = schemaErrors(schema, input);
    if (errors.length) fail(errors);
    const themes = THEMES[input.audience] as Record<string, string>;
    if (!(input.theme in themes)) errors.push({ field: 'theme', message: `没有这个${input.audience === 'person' ? '个人' : '法人'}服务主题：${input.theme}` });
    const seen = new Set<string>();
    for (const [i, m] of input.members.entries()) {
      if (seen.has(m.basicItemId)) errors.push({ field: `members/${i}/basicItemId`, message: '同一事项不能重复列入' });
      seen.add(m.basicItemId);
      const entry = await this.catalog.get(m.basicItemId).catch(() => null);
      if (!entry || entry.kind !== 'basic_item') {
        errors.push({ field: `members/${i}/basicItemId`, message: '没有这个基本目录事项' });
        continue;
      }
      const basic = entry.content as BasicItemContent;
      if (!basic.audience.includes(input.audience)) errors.push({ field: `members/${i}/basicItemId`, message: `“${basic.name}”不面向${input.audience === 'person' ? '个人' : '法人'}` });
      if (input.status === 'published' && (entry.publishedVersion === null || entry.status === 'withdrawn')) {
        errors.push({ field: `members/${i}/basicItemId`, message: `“${basic.name}”尚未发布，不能发布包含它的一件事` });
      }
    }
    if (errors.length) fail(errors);
  }

  /** Only province-level platform or region administrators define 一件事 (as basic items). */
  private provinceOf(actor: AuditActor, regionCode?: string): string {
    if (actor.kind === 'system') {
      if (!regionCode || !/^\d{2}0000$/.test(regionCode)) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'regionCode', message: '一件事由省级统一制定' }] });
      return regionCode;
    }
    if (actor.kind !== 'staff' || !actor.roles.some((r) => r === 'platform_admin' || r === 'region_admin')) throw new AppError('FORBIDDEN');
    if (!/^\d{2}0000$/.test(actor.regionCode) && actor.regionCode !== '100000') throw new AppError('FORBIDDEN', { detail: '一件事由省级统一制定' });
    const province = regionCode ?? (actor.regionCode === '100000' ? '' : actor.regionCode);
    if (!/^\d{2}0000$/.test(province)) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'regionCode', message: '请指定省级区划' }] });
    assertInRegion(actor, province);
    return province;
  }

  async create(input: ScenarioInput, actor: AuditActor, regionCode?: string): Promise<ScenarioView> {
    const province = this.provinceOf(actor, regionCode);
    await this.check(input, ScenarioInput);
    const row = await inTransaction(this.db, async (tx) => {
      if (await store.findByCode(tx, input.code)) throw new AppError('CATALOG_SCENARIO_CODE_TAKEN', { detail: input.code });
      const created = await store.insert(tx, { ...input, regionCode: province }, authorOf(actor));
      await store.replaceMembers(tx, created.id, input.members.map((m) => ({ basicItemId: m.basicItemId, note: m.note ?? '' })));
      await recordAudit(tx, { actor, action: 'catalog.scenario.create', targetType: 'catalog_scenario', targetId: created.id, regionCode: province, change: input });
      return created;
    });
    return (await this.views([row]))[0]!;
  }

  /** Saves a new version; a stale lockVersion is refused with the current definition. */
  async update(code: string, input: ScenarioUpdate, actor: AuditActor): Promise<ScenarioView> {
    const existing = await this.get(code, true);
    this.provinceOf(actor, existing.regionCode);
    await this.check(input, ScenarioUpdate);
    // Inside the transaction only its own connection may be used (PGlite has one): the
    // definitions are compared as stored rows, and named after the commit.
    const row = await inTransaction(this.db, async (tx) => {
      const locked = (await store.findByCode(tx, code, true))!;
      const members = (await store.members(tx, [locked.id])).get(locked.id) ?? [];
      const plain = (v: { name: string; audience: string; theme: string; description: string; status: string; members: { basicItemId: string; note?: string }[] }) => ({ name: v.name, audience: v.audience, theme: v.theme, description: v.description, status: v.status, members: v.members.map((m) => ({ basicItemId: m.basicItemId, note: m.note ?? '' })) });
      const before = plain({ ...locked, members });
      if (locked.lock_version !== input.lockVersion) {
        throw new AppError('CATALOG_EDIT_CONFLICT', {
          detail: `您编辑的是第 ${input.lockVersion} 版，当前已是第 ${locked.lock_version} 版`,
          errors: [{ field: 'lockVersion', message: JSON.stringify({ lockVersion: locked.lock_version, ...before }) }],
        });
      }
      const { lockVersion: _lock, ...fields } = input;
      const updated = await store.update(tx, locked.id, fields, authorOf(actor));
      await store.replaceMembers(tx, locked.id, input.members.map((m) => ({ basicItemId: m.basicItemId, note: m.note ?? '' })));
      const diff = diffContent(before, plain(input));
      await recordAudit(tx, { actor, action: 'catalog.scenario.update', targetType: 'catalog_scenario', targetId: locked.id, regionCode: locked.region_code, change: { version: updated.lock_version, diff } });
      return updated;
    });
    return (await this.views([row]))[0]!;
  }

  /** The published implementation of a basic item nearest the region (own, then parents). */
  private async resolve(basicItemId: string, path: Region[]) {
    const codes = path.map((r) => r.code);
    const rows = (await this.catalog.list({ kind: 'implementation', basicItemId, regionCodes: codes }, 'published')).filter((r) => r.status !== 'withdrawn' && r.published_version !== null);
    rows.sort((a, b) => codes.indexOf(b.region_code) - codes.indexOf(a.region_code) || a.code.localeCompare(b.code));
    return rows[0] ?? null;
  }

  async bundle(code: string, regionCode: string, includeDraft = false): Promise<Bundle> {
    if (!isWellFormedRegionCode(regionCode)) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'region', message: '行政区划代码应为 6、9 或 12 位数字' }] });
    const scenario = await this.get(code, includeDraft);
    const path = await this.regions.path(regionCode);
    const region = path[path.length - 1]!;
    const where = fullName(path);
    const members: BundleMember[] = [];
    const resolved: { key: string; name: string; departmentName: string; content: ImplementationContent }[] = [];
    for (const m of scenario.members) {
      const basic = await this.catalog.published<BasicItemContent>(m.basicItemId);
      const impl = basic ? await this.resolve(m.basicItemId, path) : null;
      if (!basic || !impl) {
        members.push({ ...m, available: false, reason: basic ? `${where}及上级地区暂未发布“${m.name}”的实施清单` : `“${m.name}”的基本目录事项尚未发布或已取消`, implementation: null });
        continue;
      }
      const c = impl.content as ImplementationContent;
      const org = impl.org_id ? await this.regions.organisation(impl.org_id).catch(() => null) : null;
      const implRegion = path.find((r) => r.code === impl.region_code);
      members.push({
        ...m,
        name: c.name,
        available: true,
        reason: null,
        implementation: {
          id: impl.id,
          code: impl.code,
          regionCode: impl.region_code,
          regionName: implRegion?.name ?? impl.region_code,
          org: org ? { id: org.id, name: org.name } : null,
          promisedLimitDays: c.promisedLimitDays,
          legalLimitDays: c.legalLimitDays,
          visits: c.visits,
          onlineDepth: c.onlineDepth,
          feesFen: c.fees.reduce((s, f) => s + f.amountFen, 0),
          processSteps: c.processSteps.map((s) => ({ name: s.name, description: s.description })),
          guideUrl: `/guides/${impl.id}`,
        },
      });
      resolved.push({ key: m.key, name: c.name, departmentName: org?.name ?? m.departmentName, content: c });
    }
    const form = mergeForms(`${scenario.name}联合申请表`, resolved.map((r) => ({ key: r.key, name: r.name, formSchema: r.content.formSchema })));
    const missing = members.filter((m) => !m.available).map((m) => ({ key: m.key, name: m.name, reason: m.reason! }));
    const { members: _m, ...head } = scenario;
    return {
      scenario: head,
      region: { code: region.code, name: region.name, fullName: where },
      complete: missing.length === 0,
      missing,
      members,
      form,
      materials: mergeMaterials(resolved.map((r) => ({ key: r.key, name: r.name, materials: r.content.materials }))),
      totals: bundleTotals(resolved),
    };
  }

  /**
   * Splits merged-form answers into per-member answers, each validated against its member's
   * own form schema. Members not available in the bundle's region take no part.
   */
  async split(bundle: Bundle, answers: Record<string, unknown>): Promise<ScenarioSplit> {
    const members: FormMember[] = [];
    const ids = new Map<string, { basicItemId: string; implementationId: string }>();
    for (const m of bundle.members) {
      if (!m.implementation) continue;
      const found = await this.catalog.published<ImplementationContent>(m.implementation.id);
      if (!found) throw new AppError('CATALOG_ENTRY_NOT_FOUND', { detail: m.implementation.id });
      members.push({ key: m.key, name: m.name, formSchema: found.content.formSchema });
      ids.set(m.key, { basicItemId: m.basicItemId, implementationId: m.implementation.id });
    }
    const result = splitAnswers(bundle.form, members, answers);
    return { ...result, parts: result.parts.map((p) => ({ ...p, ...ids.get(p.memberKey)! })) };
  }
}
