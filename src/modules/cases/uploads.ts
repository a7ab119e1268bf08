// Material uploads: the file is checked (type from its content, size, completeness) and
// stored content-addressed before any case refers to it. A case row is written only on
// submission, in its own transaction; a file no case ever refers to is removed by the orphan
// sweep (docs/files.md), so a failed submission leaves nothing behind.
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { access } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import { checkUpload, type FileStore } from '../../platform/files/index.ts';

export function uploadRoutes(app: FastifyInstance, files: FileStore, maxBytes: number): void {
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: maxBytes + 1, files: 1, fields: 2 } });
    scope.post('/api/v1/cases/uploads', {
      config: { access: access.anyOf(access.citizen(1), access.company(), access.staff(['window_clerk'])) },
      schema: {
        tags: ['cases'],
        summary: '上传申请材料（PDF、JPG 或 PNG）',
        description: '返回文件的 SHA-256，提交申请时在 materials[].fileHash 中引用。',
        consumes: ['multipart/form-data'],
      },
      handler: async (req, reply) => {
        const part = await req.file();
        if (!part) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'file', message: '请选择要上传的文件' }] });
        const bytes = await part.toBuffer().catch(() => {
          throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'file', message: `文件过大，最大 ${Math.floor(maxBytes / 1048576)} MB` }] });
        });
        const checked = checkUpload(bytes, part.filename, { maxBytes });
        if (!checked.ok) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'file', message: checked.message }] });
        const stored = await files.put(bytes);
        return reply.code(201).send({ fileHash: stored.sha256, sizeBytes: stored.size, mime: checked.mime, fileName: part.filename.slice(0, 200) });
      },
    });
  });
}
