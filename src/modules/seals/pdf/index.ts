// PDF stamping and signature embedding for electronic seals (pure: no I/O, no keys).
export { PdfError, pdfErrorText, type PdfErrorCode } from './errors.ts';
export { assertPdfShape, loadPdf, MAX_PDF_BYTES } from './load.ts';
export { stampPdf, MM_TO_PT, type Placement, type SealPicture } from './stamp.ts';
export { checkSignatureSection, embedSignature, readEmbeddedSignature, SIGNATURE_TYPE, type EmbeddedSignature, type SectionCheck } from './embed.ts';
