// Content checks beyond the JSON schema: references to regions, organisations and the
// basic item, time limits, the application form, and the guided-guide rules. Every problem
// is collected so a form can show all of them at once.
import { Value } from 'typebox/value';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { regionLevel } from '../../platform/region-code.ts';
import type { Organisation, Region, RegionService } from '../regions/index.ts';
import { BasicItemContent, ImplementationContent } from './schemas.ts';
import type { TSchema } from '@fastify/type-provider-typebox';

const LEVELS = { 1: 'province', 2: 'city', 3: 'county', 4: 'town', 5: 'village' } as const;

/** Schema errors as field errors (`materials/2/count`), in the order found. */
export function schemaErrors(schema: TSchema, value: unknown): FieldError[] {
  if (Value.Check(schema, value)) return [];
  return [...Value.Errors(schema, value)].slice(0, 50).map((e) => ({
    field: (e.instancePath || '/').replace(/^\//, '') || '(全部)',
    message: e.message,
  }));
}

function fail(errors: FieldError[]): never {
  throw new AppError('VALIDATION_FAILED', { errors, detail: errors.map((e) => `${e.field}: ${e.message}`).join('; ') });
}

export function validateBasicItem(content: unknown): BasicItemContent {
  const errors = schemaErrors(BasicItemContent, content);
  if (errors.length) fail(errors);
  const c = content as BasicItemContent;
  if (!c.code.startsWith(`${c.itemType}-`)) fail([{ field: 'code', message: `基本编码应以事项类型代码 ${c.itemType} 开头` }]);
  return c;
}

// One compiler for every form check: strict off, because forms carry Chinese `title`s and
// UI hints that are not JSON Schema keywords.
const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
type AddFormats = (a: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;
addFormats(ajv);

export function formSchemaErrors(schema: Record<string, unknown>): FieldError[] {
  if (schema.type !== 'object') return [{ field: 'formSchema', message: '申请表须为 type 为 object 的 JSON Schema' }];
  try {
    ajv.compile(schema);
    return [];
  } catch (err) {
    return [{ field: 'formSchema', message: `申请表 JSON Schema 无效：${err instanceof Error ? err.message : String(err)}` }];
  }
}

function guidedGuideErrors(c: ImplementationContent): FieldError[] {
  const errors: FieldError[] = [];
  const options = new Map(c.questions.map((q) => [q.id, new Set(q.options.map((o) => o.value))]));
  if (options.size !== c.questions.length) errors.push({ field: 'questions', message: '情形问题的标识不能重复' });
  const check = (when: Record<string, string> | undefined, field: string) => {
    for (const [q, v] of Object.entries(when ?? {})) {
      if (!options.has(q)) errors.push({ field, message: `引用了不存在的情形问题 ${q}` });
      else if (!options.get(q)!.has(v)) errors.push({ field, message: `情形问题 ${q} 没有选项 ${v}` });
    }
  };
  c.materials.forEach((m, i) => check(m.when, `materials/${i}/when`));
  c.acceptanceConditions.forEach((a, i) => check(a.when, `acceptanceConditions/${i}/when`));
  const ids = c.materials.map((m) => m.id);
  if (new Set(ids).size !== ids.length) errors.push({ field: 'materials', message: '材料标识不能重复' });
  c.materials.forEach((m, i) => {
    if (m.source === 'licence' && !m.licenceType) errors.push({ field: `materials/${i}/licenceType`, message: '电子证照复用的材料须写明证照类型' });
    if (m.source === 'data' && !m.dataResource) errors.push({ field: `materials/${i}/dataResource`, message: '数据共享的材料须写明数据资源' });
  });
  return errors;
}

export interface ImplementationContext {
  region: Region;
  org: Organisation;
}

/**
 * Validates an implementation against its schema, its published basic item, and the
 * region and organisation it names. Returns what the lifecycle needs from them.
 */
export async function validateImplementation(content: unknown, basic: BasicItemContent, regions: RegionService): Promise<ImplementationContext> {
  const errors = schemaErrors(ImplementationContent, content);
  if (errors.length) fail(errors);
  const c = content as ImplementationContent;
  let region: Region | null = null;
  let org: Organisation | null = null;
  try {
    region = await regions.get(c.regionCode);
  } catch {
    errors.push({ field: 'regionCode', message: `没有这个行政区划：${c.regionCode}` });
  }
  try {
    org = await regions.organisation(c.orgId);
  } catch {
    errors.push({ field: 'orgId', message: '没有这个机构' });
  }
  if (org && region && org.regionCode !== region.code) errors.push({ field: 'orgId', message: `${org.name}不属于${region.name}` });
  if (org && org.departmentType && org.departmentType !== basic.departmentType) {
    errors.push({ field: 'orgId', message: `${org.name}不是该事项的实施部门类型` });
  }
  if (region && !basic.exercisingLevels.includes(LEVELS[regionLevel(region.code)])) {
    errors.push({ field: 'regionCode', message: `该事项不在${region.levelName}级行使` });
  }
  if (c.promisedLimitDays > c.legalLimitDays) errors.push({ field: 'promisedLimitDays', message: '承诺时限不能超过法定时限' });
  if (c.visits === 0 && !c.channels.includes('online') && !c.channels.includes('mobile')) {
    errors.push({ field: 'visits', message: '“不见面”办理须提供网上或移动端渠道' });
  }
  errors.push(...formSchemaErrors(c.formSchema), ...guidedGuideErrors(c));
  if (errors.length) fail(errors);
  return { region: region!, org: org! };
}
