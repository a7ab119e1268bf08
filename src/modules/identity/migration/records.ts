// Reading a legacy system's export: CSV with a header row or a JSON array of objects, then
// validating and normalising each record. Nothing here touches the database.
import { parse } from 'csv-parse/sync';
import { AppError } from '../../../platform/http/errors.ts';
import { maskIdNumber, maskMobile, maskName } from '../../../platform/crypto/personal-data.ts';
import { checkIdNumber, ID_NUMBER_PROBLEM_MESSAGES } from '../../../platform/identifiers/id-number.ts';
import type { RealNameLevel } from '../../../platform/http/access.ts';
import { normaliseLegacyHash, type LegacyHashKind } from './legacy.ts';

export type ImportFormat = 'csv' | 'json';

/** One record as found in the file, with its row number (CSV: file line; JSON: 1-based position). */
export interface SourceRecord {
  row: number;
  fields: Record<string, string>;
}

export interface ImportRecord {
  row: number;
  sourceAccountId: string;
  mobile: string;
  name: string | null;
  idNumber: string | null;
  hash: string | null;
  hashKind: LegacyHashKind | null;
  claimedLevel: RealNameLevel | null;
}

/** A line of the conflict report: personal data masked, never in full. */
export interface ReportLine {
  row: number;
  sourceAccountId: string;
  category: 'invalid' | 'conflict';
  reason: string;
  mobile: string;
  idNumber: string;
  name: string;
}

const FIELDS = ['sourceAccountId', 'mobile', 'name', 'idNumber', 'passwordHash', 'hashKind', 'realNameLevel'] as const;
type Field = (typeof FIELDS)[number];

// Column names a legacy export is likely to use, besides the field names themselves.
const ALIASES: Record<string, Field> = {
  原账户编号: 'sourceAccountId', 账户编号: 'sourceAccountId', 用户编号: 'sourceAccountId',
  手机号码: 'mobile', 手机号: 'mobile',
  姓名: 'name',
  身份证号码: 'idNumber', 身份证号: 'idNumber',
  密码散列: 'passwordHash', 密码哈希: 'passwordHash',
  散列类型: 'hashKind', 哈希类型: 'hashKind',
  实名等级: 'realNameLevel',
};

function fieldName(header: string): string {
  const h = header.trim();
  const exact = FIELDS.find((f) => f.toLowerCase() === h.toLowerCase());
  return exact ?? ALIASES[h] ?? h;
}

function invalidFile(detail: string, cause?: unknown): AppError {
  return new AppError('ACCOUNT_IMPORT_FILE_INVALID', { detail, cause });
}

export function parseRecords(text: string, format: ImportFormat): SourceRecord[] {
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw invalidFile('JSON 格式不正确', err);
    }
    if (!Array.isArray(data)) throw invalidFile('JSON 文件应为账户对象组成的数组');
    return data.map((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return { row: i + 1, fields: {} };
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
        if (v !== null && v !== undefined) fields[fieldName(k)] = String(v);
      }
      return { row: i + 1, fields };
    });
  }
  let parsed: { record: Record<string, string>; info: { lines: number } }[];
  try {
    parsed = parse(text, { columns: (h: string[]) => h.map(fieldName), bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (err) {
    throw invalidFile(`CSV 格式不正确：${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (parsed.length > 0 && !('mobile' in parsed[0]!.record)) throw invalidFile('CSV 表头缺少 mobile（手机号码）列');
  return parsed.map((p) => ({ row: p.info.lines, fields: p.record }));
}

/** 11-digit mainland mobile without +86/0086, spaces or dashes, or null. */
export function normaliseImportMobile(raw: string): string | null {
  const m = raw.replace(/[\s\-()（）]/g, '').replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(m) ? m : null;
}

function hashKindOf(raw: string): LegacyHashKind | null {
  const k = raw.trim().toLowerCase().replace(/[-_]/g, '');
  return k === 'md5' ? 'md5' : k === 'sha1' ? 'sha1' : k === 'bcrypt' ? 'bcrypt' : null;
}

/** What the report shows of a record: masked, and from the raw text when it did not parse. */
export function maskedOf(fields: Record<string, string>, rec?: Pick<ImportRecord, 'mobile' | 'idNumber' | 'name'>): Pick<ReportLine, 'mobile' | 'idNumber' | 'name'> {
  const mobile = rec?.mobile ?? (fields.mobile ?? '').replace(/\s/g, '');
  const idNumber = rec?.idNumber ?? (fields.idNumber ?? '').replace(/\s/g, '').toUpperCase();
  const name = rec?.name ?? (fields.name ?? '').trim();
  return { mobile: mobile ? maskMobile(mobile) : '', idNumber: idNumber ? maskIdNumber(idNumber) : '', name: name ? maskName(name) : '' };
}

/** The normalised record, or the Chinese reasons it cannot be imported. */
export function validateRecord(source: SourceRecord): { record: ImportRecord } | { problems: string[] } {
  const f = source.fields;
  const problems: string[] = [];
  const sourceAccountId = (f.sourceAccountId ?? '').trim();
  if (!sourceAccountId) problems.push('缺少原账户编号');
  else if (sourceAccountId.length > 128) problems.push('原账户编号超过 128 个字符');

  const mobile = normaliseImportMobile(f.mobile ?? '');
  if (!mobile) problems.push((f.mobile ?? '').trim() ? '手机号码格式不正确（应为 11 位大陆手机号码）' : '缺少手机号码');

  const nameRaw = (f.name ?? '').normalize('NFC').trim().replace(/\s+/g, ' ');
  const name = nameRaw || null;
  if (name && [...name].length > 50) problems.push('姓名超过 50 个字符');

  const idRaw = (f.idNumber ?? '').replace(/\s/g, '').toUpperCase();
  const idNumber = idRaw || null;
  if (idNumber) {
    const problem = checkIdNumber(idNumber);
    if (problem) problems.push(ID_NUMBER_PROBLEM_MESSAGES[problem]);
    else if (!name) problems.push('有身份证号码但缺少姓名');
  }

  const hashRaw = (f.passwordHash ?? '').trim();
  const kindRaw = (f.hashKind ?? '').trim();
  let hash: string | null = null;
  let hashKind: LegacyHashKind | null = null;
  if (hashRaw || kindRaw) {
    hashKind = hashKindOf(kindRaw);
    if (!kindRaw) problems.push('有密码散列但缺少散列类型');
    else if (!hashKind) problems.push(`不支持的散列类型“${kindRaw.slice(0, 20)}”（仅支持 md5、sha1、bcrypt）`);
    else if (!hashRaw) problems.push('缺少密码散列');
    else {
      hash = normaliseLegacyHash(hashKind, hashRaw);
      if (!hash) problems.push(`密码散列不符合 ${hashKind} 格式`);
    }
  }

  const levelRaw = (f.realNameLevel ?? '').trim();
  let claimedLevel: RealNameLevel | null = null;
  if (levelRaw) {
    const n = Number(levelRaw.replace(/^L/i, ''));
    if (Number.isInteger(n) && n >= 1 && n <= 5) claimedLevel = n as RealNameLevel;
    else problems.push('原系统实名等级应为 1–5');
  }

  if (problems.length > 0 || !mobile) return { problems };
  return { record: { row: source.row, sourceAccountId, mobile, name, idNumber, hash, hashKind, claimedLevel } };
}
