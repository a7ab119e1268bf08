// Why a PDF could not be stamped, signed or read back: a stable code for programs and a
// Chinese sentence for people. Nothing else escapes this folder (pdf-lib's own errors are
// wrapped), so a hostile upload gives a clear answer, never a crash.

export type PdfErrorCode =
  /** Does not start with `%PDF-`. */
  | 'not_pdf'
  /** No `startxref … %%EOF` at the end: the file was cut short. */
  | 'truncated'
  /** pdf-lib could not read the objects or cross-reference table. */
  | 'corrupt'
  | 'encrypted'
  | 'page_out_of_range'
  | 'position_out_of_page'
  | 'bad_image'
  | 'already_signed'
  | 'not_signed'
  /** Bytes after the signed range differ from the signature section that was written. */
  | 'altered_after_signing'
  | 'too_large';

const TEXT: Record<PdfErrorCode, string> = {
  not_pdf: '文件不是 PDF 文档',
  truncated: 'PDF 文档不完整（文件被截断）',
  corrupt: 'PDF 文档已损坏，无法读取',
  encrypted: 'PDF 文档已加密，不能签章',
  page_out_of_range: '指定的页码不存在',
  position_out_of_page: '印章位置超出页面范围',
  bad_image: '印章图像无法嵌入（须为 PNG）',
  already_signed: '文档已含电子签章，不能再次盖章',
  not_signed: 'PDF 文档中没有电子签章',
  altered_after_signing: '文档在签章后被修改',
  too_large: 'PDF 文档过大',
};

export class PdfError extends Error {
  readonly code: PdfErrorCode;
  readonly detail: string | undefined;
  constructor(code: PdfErrorCode, detail?: string) {
    super(detail ? `${TEXT[code]}：${detail}` : TEXT[code]);
    this.name = 'PdfError';
    this.code = code;
    this.detail = detail;
  }
}

export function pdfErrorText(code: PdfErrorCode): string {
  return TEXT[code];
}
