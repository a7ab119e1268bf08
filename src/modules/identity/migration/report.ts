// The conflict report an operator opens in a spreadsheet: UTF-8 with a BOM so Excel reads
// the Chinese, personal data masked.
import { stringify } from 'csv-stringify/sync';
import type { ReportLine } from './records.ts';
import type { ImportResult } from './importer.ts';

const CATEGORY: Record<ReportLine['category'], string> = { invalid: '无效', conflict: '冲突' };

export function reportCsv(lines: ReportLine[]): string {
  return stringify(
    lines.map((l) => [l.row, l.sourceAccountId, CATEGORY[l.category], l.reason, l.mobile, l.idNumber, l.name]),
    { bom: true, header: true, columns: ['行号', '原账户编号', '类别', '原因', '手机号码（脱敏）', '身份证号码（脱敏）', '姓名（脱敏）'] },
  );
}

/** The summary lines the CLI prints; a dry run says what would happen. */
export function summaryLines(source: string, r: ImportResult): string[] {
  const would = r.dryRun ? '将' : '已';
  return [
    `${r.dryRun ? '试运行（未写入任何数据）' : '导入完成'}：来源 ${source}，共 ${r.total} 条记录`,
    `${would}新建账户 ${r.created}，${would}关联已有账户 ${r.linked}，此前已导入未变 ${r.unchanged}，文件内重复 ${r.duplicates}`,
    `冲突 ${r.conflicts}，无效 ${r.invalid}`,
  ];
}

/** The first few report lines for the terminal (already masked). */
export function reportPreview(lines: ReportLine[], max = 20): string[] {
  const out = lines.slice(0, max).map((l) => `  第 ${l.row} 行 [${CATEGORY[l.category]}] ${l.sourceAccountId || '-'} ${l.mobile || '-'} ${l.idNumber || '-'}：${l.reason}`);
  if (lines.length > max) out.push(`  ……另有 ${lines.length - max} 条，见报告文件`);
  return out;
}
