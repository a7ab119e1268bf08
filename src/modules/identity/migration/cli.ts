// `npm run cli -- accounts:import …`: the operator's way to run a migration, dry or real.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliContext, Command } from '../../../cli.ts';
import { PersonalDataCipher } from '../../../platform/crypto/personal-data.ts';
import { isAppError } from '../../../platform/http/errors.ts';
import { AccountImporter, SOURCE_SYSTEM_PATTERN } from './importer.ts';
import type { ImportFormat } from './records.ts';
import { reportCsv, reportPreview, summaryLines } from './report.ts';

const USAGE = 'accounts:import --source <源系统> --file <路径> [--format csv|json] [--dry-run] [--report <报告.csv>]';

function options(args: string[]): { source: string; file: string; format: ImportFormat; dryRun: boolean; report: string | null } | null {
  const values = new Map<string, string>();
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--dry-run') dryRun = true;
    else if (['--source', '--file', '--format', '--report'].includes(a) && args[i + 1] !== undefined) values.set(a, args[++i]!);
    else return null;
  }
  const source = values.get('--source');
  const file = values.get('--file');
  if (!source || !file || !SOURCE_SYSTEM_PATTERN.test(source)) return null;
  const format = values.get('--format') ?? (path.extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') return null;
  return { source, file, format, dryRun, report: values.get('--report') ?? null };
}

export const accountMigrationCommands: Record<string, Command> = {
  'accounts:import': {
    usage: USAGE,
    summary: '从原系统导出文件（CSV/JSON）迁移个人账户；--dry-run 只检查不写入，冲突报告写入 --report',
    async run(args, ctx: CliContext) {
      const opts = options(args);
      if (!opts) {
        ctx.out(`用法: npm run cli -- ${USAGE}`);
        ctx.out('源系统名称只能包含字母、数字、点、下划线和连字符（最长 64 个字符）');
        return 2;
      }
      let text: string;
      try {
        text = await readFile(opts.file, 'utf8');
      } catch (err) {
        ctx.out(`无法读取文件 ${opts.file}：${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        return 1;
      }
      const { db } = await ctx.database();
      const importer = new AccountImporter(db, new PersonalDataCipher(ctx.config.secrets), ctx.config.nodeRegionCode);
      try {
        const result = await importer.run(text, { source: opts.source, format: opts.format, dryRun: opts.dryRun, actor: { kind: 'system', id: 'cli:accounts:import' } });
        for (const line of summaryLines(opts.source, result)) ctx.out(line);
        for (const line of reportPreview(result.report)) ctx.out(line);
        if (opts.report) {
          await writeFile(opts.report, reportCsv(result.report), 'utf8');
          ctx.out(`冲突报告（${result.report.length} 条）已写入 ${opts.report}`);
        }
        return result.conflicts + result.invalid > 0 ? 3 : 0;
      } catch (err) {
        if (!isAppError(err)) throw err;
        ctx.out(`错误 ${err.code}: ${err.message}${err.detail ? `（${err.detail}）` : ''}`);
        return 1;
      }
    },
  },
};
