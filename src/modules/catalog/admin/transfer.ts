// Bulk export and import of implementations (CSV or XLSX). The export writes the main fields
// for people and the full content as JSON, so a file re-imports losslessly. The import checks
// every row before writing anything, then commits all rows in one transaction or none.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Db, Tx } from '../../../platform/db/database.ts';
import { inTransaction } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import { assertInRegion, type Actor } from '../../../platform/http/access.ts';
import { isAppError } from '../../../platform/http/errors.ts';
import { regionPrefix } from '../../../platform/region-code.ts';
import { RegionService } from '../../regions/index.ts';
import { CatalogService } from '../service.ts';
import { checkConsistency, describeDeviation } from '../consistency.ts';
import { diffContent } from '../diff.ts';
import { implementationCode } from '../codes.ts';
import type { BasicItemContent, ImplementationContent } from '../schemas.ts';
import * as store from '../store.ts';
import { validateImplementation } from '../validation.ts';

type Column = { key: string; header: string; kind: 'info' | 'int' | 'text' | 'list' | 'json'; path?: string[] };

/** Columns in file order. `int`, `text` and `list` columns override the JSON when filled in. */
export const COLUMNS: Column[] = [
  { key: 'code', header: '实施编码', kind: 'info' },
  { key: 'name', header: '事项名称', kind: 'info' },
  { key: 'regionCode', header: '实施区划', kind: 'info' },
  { key: 'org', header: '实施机构', kind: 'info' },
  { key: 'status', header: '状态', kind: 'info' },
  { key: 'legalLimitDays', header: '法定时限（工作日）', kind: 'int', path: ['legalLimitDays'] },
  { key: 'promisedLimitDays', header: '承诺时限（工作日）', kind: 'int', path: ['promisedLimitDays'] },
  { key: 'visits', header: '到现场次数', kind: 'int', path: ['visits'] },
  { key: 'channels', header: '办理渠道（online,window,mobile）', kind: 'list', path: ['channels'] },
  { key: 'consult', header: '咨询电话', kind: 'text', path: ['phones', 'consult'] },
  { key: 'complaint', header: '投诉电话', kind: 'text', path: ['phones', 'complaint'] },
  { key: 'address', header: '办理地点', kind: 'text', path: ['place', 'address'] },
  { key: 'hours', header: '办理时间', kind: 'text', path: ['place', 'hours'] },
  { key: 'content', header: '完整内容（JSON）', kind: 'json' },
];

export interface RowError {
  row: number;
  field: string;
  message: string;
}

export interface ImportResult {
  committed: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
}

type Row = Record<string, string>;

function getPath(o: Record<string, unknown>, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
}

function cell(c: Column, content: Record<string, unknown>): string {
  const v = getPath(content, c.path!);
  if (c.kind === 'list') return Array.isArray(v) ? v.join(',') : '';
  return v === undefined || v === null ? '' : String(v);
}

/** The export's rows: the working version of every implementation in the region. */
export async function exportRows(db: Db, regions: RegionService, regionCode: string): Promise<string[][]> {
  await regions.get(regionCode);
  const rows = await store.listEntriesWithContent(db, { kind: 'implementation', regionPrefix: regionPrefix(regionCode) }, 'working', 100_000);
  const orgs = new Map<string, string>();
  const out: string[][] = [];
  for (const r of rows) {
    const content = r.content as Record<string, unknown>;
    if (r.org_id && !orgs.has(r.org_id)) orgs.set(r.org_id, (await regions.organisation(r.org_id)).name);
    const info: Record<string, string> = { code: r.code, name: String(content.name), regionCode: r.region_code, org: orgs.get(r.org_id!) ?? '', status: r.status, content: JSON.stringify(content) };
    out.push(COLUMNS.map((c) => (c.path ? cell(c, content) : info[c.key]!)));
  }
  return out;
}

export function toCsv(rows: string[][]): string {
  // The BOM makes spreadsheet programs read the Chinese headers as UTF-8.
  return '\ufeff' + stringify([COLUMNS.map((c) => c.header), ...rows]);
}

export async function toXlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('实施清单');
  ws.addRow(COLUMNS.map((c) => c.header));
  for (const r of rows) ws.addRow(r);
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Parsed rows keyed by column key, with their line number in the file (header = 1). */
export function parseCsv(text: string): { rows: { line: number; row: Row }[]; errors: RowError[] } {
  try {
    const records = parse(text.replace(/^\ufeff/, ''), { relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return fromTable(records.map((r) => ({ line: r.info.lines, cells: r.record })));
  } catch (err) {
    return { rows: [], errors: [{ row: 0, field: '文件', message: `无法读取 CSV：${err instanceof Error ? err.message : String(err)}` }] };
  }
}

export async function parseXlsx(data: Buffer): Promise<{ rows: { line: number; row: Row }[]; errors: RowError[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch (err) {
    return { rows: [], errors: [{ row: 0, field: '文件', message: `无法读取 Excel 文件：${err instanceof Error ? err.message : String(err)}` }] };
  }
  const ws = wb.worksheets[0];
  const table: { line: number; cells: string[] }[] = [];
  ws?.eachRow((row, line) => table.push({ line, cells: Array.from({ length: COLUMNS.length }, (_, i) => row.getCell(i + 1).text ?? '') }));
  return fromTable(table);
}

function fromTable(table: { line: number; cells: string[] }[]): { rows: { line: number; row: Row }[]; errors: RowError[] } {
  const [head, ...body] = table;
  if (!head) return { rows: [], errors: [{ row: 0, field: '文件', message: '文件是空的' }] };
  const index = new Map(head.cells.map((h, i) => [h.trim(), i]));
  const missing = COLUMNS.filter((c) => (c.key === 'code' || c.key === 'content') && !index.has(c.header));
  if (missing.length) return { rows: [], errors: missing.map((c) => ({ row: head.line, field: c.header, message: '缺少这一列（请使用导出的文件作为模板）' })) };
  const rows = body
    .filter((r) => r.cells.some((c) => c.trim() !== ''))
    .map((r) => ({ line: r.line, row: Object.fromEntries(COLUMNS.map((c) => [c.key, index.has(c.header) ? (r.cells[index.get(c.header)!] ?? '').trim() : ''])) }));
  return { rows, errors: [] };
}

export type Plan = { line: number; action: 'create' | 'update' | 'unchanged'; id?: string; lockVersion?: number; content: ImplementationContent };

/** Applies the editable columns over the JSON content; returns the problems found. */
function applyColumns(row: Row, content: Record<string, unknown>, line: number, errors: RowError[]): void {
  for (const c of COLUMNS) {
    const v = row[c.key];
    if (!c.path || !v) continue;
    let value: unknown = v;
    if (c.kind === 'int') {
      if (!/^\d+$/.test(v)) {
        errors.push({ row: line, field: c.header, message: '应为非负整数' });
        continue;
      }
      value = Number(v);
    } else if (c.kind === 'list') value = v.split(/[,，、\s]+/).filter(Boolean);
    let target = content;
    for (const k of c.path.slice(0, -1)) target = (target[k] && typeof target[k] === 'object' ? target[k] : (target[k] = {})) as Record<string, unknown>;
    target[c.path.at(-1)!] = value;
  }
}

/** Checks one row fully (schema, references, 三级四同, region, code) and decides what to do with it. */
async function planRow(db: Db, regions: RegionService, actor: Actor, line: number, row: Row, basics: Map<string, BasicItemContent | null>): Promise<{ plan: Plan | null; errors: RowError[] }> {
  const errors: RowError[] = [];
  const err = (field: string, message: string) => ({ plan: null, errors: [...errors, { row: line, field, message }] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.content ?? '');
  } catch {
    return err('完整内容（JSON）', row.content ? '不是有效的 JSON' : '不能为空');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return err('完整内容（JSON）', '应为 JSON 对象');
  const content = parsed as Record<string, unknown>;
  applyColumns(row, content, line, errors);
  const existing = row.code ? await store.findEntryByCode(db, 'implementation', row.code) : null;
  if (existing) {
    try {
      assertInRegion(actor, existing.region_code);
    } catch {
      return err('实施编码', `${row.code} 不在您的管辖区划内`);
    }
    const prev = (await store.findVersion(db, existing.id, existing.working_version))!;
    const p = prev.content as ImplementationContent;
    if (content.regionCode !== p.regionCode || content.orgId !== p.orgId || content.basicItemId !== p.basicItemId || content.sequence !== p.sequence) {
      errors.push({ row: line, field: '完整内容（JSON）', message: '实施区划、实施机构、基本目录和序号一经创建不能修改' });
    }
    if (prev.state === 'in_review' && diffContent(prev.content, content).length) errors.push({ row: line, field: '实施编码', message: '该事项正在审核，不能修改' });
  }
  const basicId = typeof content.basicItemId === 'string' ? content.basicItemId : '';
  if (!basics.has(basicId)) {
    const b = await store.findEntry(db, basicId);
    basics.set(basicId, b && b.kind === 'basic_item' && b.published_version !== null && b.status !== 'withdrawn' ? ((await store.findVersion(db, b.id, b.published_version))!.content as BasicItemContent) : null);
  }
  const basic = basics.get(basicId);
  if (!basic) return err('basicItemId', '没有这个已发布的基本目录事项');
  // New rows without a code get their sequence from the platform at commit.
  const checked = { ...content, sequence: content.sequence ?? 1 } as ImplementationContent;
  try {
    const { org } = await validateImplementation(checked, basic, regions);
    assertInRegion(actor, checked.regionCode);
    if (actor.kind === 'staff' && !actor.roles.some((r) => r === 'region_admin' || r === 'platform_admin') && actor.orgId !== org.id) errors.push({ row: line, field: 'orgId', message: '部门管理员只能维护本部门的实施清单' });
    if (row.code && !existing && content.sequence === undefined) errors.push({ row: line, field: '实施编码', message: '新事项带实施编码时，内容须写明序号 sequence' });
    if (row.code && !existing && content.sequence !== undefined && implementationCode({ basicCode: basic.code, regionCode: checked.regionCode, sequence: checked.sequence, creditCode: org.creditCode ?? '000000000000000000' }) !== row.code) {
      errors.push({ row: line, field: '实施编码', message: '实施编码与内容（基本编码、区划、序号、机构）不符' });
    }
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === 'OUT_OF_REGION') errors.push({ row: line, field: 'regionCode', message: `${checked.regionCode} 不在您的管辖区划内` });
    else for (const fe of e.errors ?? [{ field: '完整内容（JSON）', message: e.detail ?? e.message }]) errors.push({ row: line, field: fe.field, message: fe.message });
  }
  for (const d of checkConsistency(basic, checked)) errors.push({ row: line, field: d.field, message: `三级四同：${describeDeviation(d)}` });
  if (errors.length) return { plan: null, errors };
  if (!existing) return { plan: { line, action: 'create', content: content as ImplementationContent }, errors };
  const prev = (await store.findVersion(db, existing.id, existing.working_version))!;
  const same = diffContent(prev.content, content).length === 0;
  return { plan: { line, action: same ? 'unchanged' : 'update', id: existing.id, lockVersion: existing.lock_version, content: content as ImplementationContent }, errors };
}

export type ParsedRow = { line: number; row: Row };

/**
 * Checks rows `from`..`to` of a file; rows before `from` only count for the duplicate-code
 * check, so checking a file in chunks (the background job) gives the same report as in one go.
 */
export async function checkRows(db: Db, regions: RegionService, actor: Actor, rows: ParsedRow[], from: number, to: number, basics = new Map<string, BasicItemContent | null>()): Promise<{ plans: Plan[]; errors: RowError[] }> {
  const errors: RowError[] = [];
  const plans: Plan[] = [];
  const seen = new Map<string, number>();
  for (const { line, row } of rows.slice(0, from)) if (row.code && !seen.has(row.code)) seen.set(row.code, line);
  for (const { line, row } of rows.slice(from, to)) {
    if (row.code) {
      if (seen.has(row.code)) errors.push({ row: line, field: '实施编码', message: `与第 ${seen.get(row.code)} 行重复` });
      seen.set(row.code, line);
    }
    const r = await planRow(db, regions, actor, line, row, basics);
    errors.push(...r.errors);
    if (r.plan) plans.push(r.plan);
  }
  return { plans, errors };
}

export const NO_ROWS: RowError = { row: 0, field: '文件', message: '文件里没有数据行' };

/**
 * Writes checked rows with their audit record, all in the given transaction (the caller's
 * commit makes them all or none). Returns the counts; throws an AppError when an entry
 * changed since it was checked.
 */
export async function commitPlans(tx: Tx, actor: Actor, plans: Plan[], rowCount: number): Promise<Pick<ImportResult, 'created' | 'updated' | 'unchanged'>> {
  // Services bound to the transaction, so every row's writes and audit records commit together.
  const txDb = tx as unknown as Db;
  const catalog = new CatalogService(txDb, new RegionService(txDb));
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const p of plans) {
    if (p.action === 'create') await catalog.createImplementation(p.content, actor);
    else if (p.action === 'update') await catalog.update(p.id!, p.content, p.lockVersion!, actor);
    counts[p.action === 'create' ? 'created' : p.action === 'update' ? 'updated' : 'unchanged']++;
  }
  await recordAudit(tx, { actor, action: 'catalog.implementation.import', targetType: 'catalog_import', targetId: null, regionCode: actor.kind === 'staff' ? actor.regionCode : null, change: { rows: rowCount, ...counts } });
  return counts;
}

/** The report line for a commit refused because an entry changed after the check. */
export function commitFailure(e: { message: string; detail?: string | undefined }): RowError {
  return { row: 0, field: '文件', message: `导入未完成，没有写入任何数据：${e.message}${e.detail ? `（${e.detail}）` : ''}` };
}

/** Imports parsed rows: every row checked, then all written in one transaction, or nothing. */
export async function importRows(db: Db, regions: RegionService, actor: Actor, rows: ParsedRow[]): Promise<ImportResult> {
  const { plans, errors } = await checkRows(db, regions, actor, rows, 0, rows.length);
  const result: ImportResult = { committed: false, rows: rows.length, created: 0, updated: 0, unchanged: 0, errors };
  if (rows.length === 0 && errors.length === 0) errors.push(NO_ROWS);
  if (errors.length) return result;
  try {
    Object.assign(result, await inTransaction(db, (tx) => commitPlans(tx, actor, plans, rows.length)));
  } catch (e) {
    if (!isAppError(e)) throw e;
    // Someone changed an entry between the check and the commit: nothing was written.
    result.errors.push(commitFailure(e));
    return result;
  }
  result.committed = true;
  return result;
}
