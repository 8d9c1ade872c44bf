import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth/actor';
import { AppError, Errors } from '../../platform/http/errors';
import { ProblemSchema, Uuid } from '../../platform/http/schemas';
import { contentDisposition, openUpload, saveUpload } from '../../platform/files/index';

const UploadOut = Type.Object({ id: Type.String(), sha256: Type.String(), size: Type.Integer(), name: Type.String(), mime: Type.String() });

export async function filesRoutes(app: FastifyInstance) {
  const { db, files, clock, config } = app.ctx;

  app.post(
    '/api/files',
    {
      schema: {
        tags: ['files'],
        summary: '上传文件（multipart/form-data，字段 file）/ Upload a file (multipart/form-data, field "file")',
        description:
          'The body is multipart and is streamed, not schema-validated: one part named "file". Allowed types: PDF, OFD, PNG/JPEG/GIF/WebP/TIFF, Office/WPS, ZIP; the type is sniffed from the bytes and must match the extension.',
        consumes: ['multipart/form-data'],
        response: { 201: UploadOut, 400: ProblemSchema, 401: ProblemSchema, 413: ProblemSchema, 415: ProblemSchema },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 415, '请以 multipart/form-data 上传文件', 'Upload the file as multipart/form-data', 'file');
      const part = await req.file();
      if (!part || part.fieldname !== 'file') {
        part?.file.resume();
        throw Errors.validation('file', '请在字段 file 中附上文件', 'Attach the file in the field "file"', 'FIELD_REQUIRED');
      }
      const saved = await saveUpload({ db, files, now: () => clock.now() }, actor, {
        stream: part.file,
        filename: part.filename,
        maxBytes: config.maxUploadBytes,
        truncated: () => part.file.truncated,
      });
      return reply.status(201).send({ id: saved.id, sha256: saved.sha256, size: saved.size, name: saved.name, mime: saved.mime });
    },
  );

  app.get(
    '/api/files/:id',
    {
      schema: {
        tags: ['files'],
        summary: '下载文件 / Download a file',
        params: Type.Object({ id: Uuid }),
        response: { 401: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      const { meta, body } = await openUpload({ db, files }, req.actor, (req.params as { id: string }).id);
      return reply
        .header('content-type', meta.mime)
        .header('content-length', String(meta.size))
        .header('content-disposition', contentDisposition(meta.name))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=0, must-revalidate')
        .header('etag', `"${meta.sha256}"`)
        // RFC 9530: the client can check the bytes against the hash without trusting the transport.
        .header('repr-digest', `sha-256=:${Buffer.from(meta.sha256, 'hex').toString('base64')}:`)
        .send(body);
    },
  );
}
