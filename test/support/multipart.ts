// A multipart/form-data body as a browser sends a form with file inputs: text fields, and
// files given as { file, name } (sent as application/octet-stream, so the server must sniff).
export type MultipartField = string | { file: Buffer; name: string };

export function multipart(fields: Record<string, MultipartField>): { payload: Buffer; headers: { 'content-type': string } } {
  const boundary = `----yiwang${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    else parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${v.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), v.file, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
