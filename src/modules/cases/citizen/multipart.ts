// Reading a multipart form (fields and files) posted by a page without JavaScript: every part
// is read into memory within the configured limits before anything is checked or stored, so
// the CSRF token can be verified first, wherever the browser put it among the parts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { FormBody } from '../forms/index.ts';
import type { PostedFile } from './drafts.ts';

export interface MultipartForm {
  fields: FormBody;
  files: Map<string, PostedFile>;
}

/** Registers the multipart parser in a scope of its own and lets `routes` add routes to it. */
export function multipartScope(app: FastifyInstance, maxBytes: number, routes: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => {
    // An oversized file is cut off (truncated) rather than thrown, so the form can say which one.
    await scope.register(multipart, { throwFileSizeLimit: false, limits: { fileSize: maxBytes + 1, files: 100, fields: 1000, parts: 1100 } });
    routes(scope);
  });
}

/** All parts of the request; then the CSRF token among the fields is checked. */
export async function readMultipart(req: FastifyRequest): Promise<MultipartForm> {
  const fields: FormBody = {};
  const files = new Map<string, PostedFile>();
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      // A file input left empty still posts a part, with no name and no bytes.
      if (!part.filename && bytes.length === 0) continue;
      files.set(part.fieldname, { filename: part.filename, bytes, truncated: part.file.truncated });
    } else {
      const value = typeof part.value === 'string' ? part.value : String(part.value);
      const prev = fields[part.fieldname];
      fields[part.fieldname] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
    }
  }
  req.assertCsrf(fields._csrf);
  delete fields._csrf;
  return { fields, files };
}

export function one(fields: FormBody, name: string): string | undefined {
  const v = fields[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}
