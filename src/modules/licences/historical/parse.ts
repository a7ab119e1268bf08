// Reading an uploaded table of historical licences: CSV (UTF-8, a BOM allowed) or the first
// sheet of an Excel workbook; the first non-empty row is the header. Cells are trimmed text.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export interface Table {
  header: string[];
  rows: { line: number; cells: Record<string, string> }[];
}

export type ParseResult = { ok: true; table: Table } | { ok: false; message: string };

const MAX_ROWS = 20_000;

function fromCells(lines: { line: number; cells: string[] }[]): ParseResult {
  const nonEmpty = lines.filter((l) => l.cells.some((c) => c.trim() !== ''));
  const [head, ...body] = nonEmpty;
  if (!head) return { ok: false, message: '文件是空的' };
  if (body.length > MAX_ROWS) return { ok: false, message: `一次最多导入 ${MAX_ROWS} 行，请分成几个文件` };
  const header = head.cells.map((h) => h.trim());
  return {
    ok: true,
    table: { header, rows: body.map((r) => ({ line: r.line, cells: Object.fromEntries(header.map((h, i) => [h, (r.cells[i] ?? '').trim()])) })) },
  };
}

export async function parseTable(fileName: string, bytes: Buffer): Promise<ParseResult> {
  if (/\.xlsx$/i.test(fileName)) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (err) {
      return { ok: false, message: `无法读取 Excel 文件：${err instanceof Error ? err.message : String(err)}` };
    }
    const ws = wb.worksheets[0];
    const lines: { line: number; cells: string[] }[] = [];
    ws?.eachRow((row, line) => {
      const cells: string[] = [];
      for (let i = 1; i <= ws.columnCount; i++) cells.push(row.getCell(i).text ?? '');
      lines.push({ line, cells });
    });
    return fromCells(lines);
  }
  if (!/\.csv$/i.test(fileName)) return { ok: false, message: '只接受 CSV（.csv）或 Excel（.xlsx）文件' };
  try {
    const records = parse(bytes.toString('utf8').replace(/^\ufeff/, ''), { relax_column_count: true, skip_empty_lines: false, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return fromCells(records.map((r) => ({ line: r.info.lines, cells: r.record })));
  } catch (err) {
    return { ok: false, message: `无法读取 CSV：${err instanceof Error ? err.message : String(err)}` };
  }
}
