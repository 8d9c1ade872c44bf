import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Every error a client sees is application/problem+json (RFC 9457) with a stable machine code, a Chinese and an
 * English message, and the field at fault when there is one. Throw `AppError` from anywhere in a request;
 * the handler below renders it. Unknown errors become a 500 with no internals leaked.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly zh: string,
    readonly en: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(en);
  }
}

export const Errors = {
  validation: (field: string, zh: string, en: string, code = 'VALIDATION_FAILED') => new AppError(code, 400, zh, en, field),
  unauthenticated: () => new AppError('UNAUTHENTICATED', 401, '请先登录，或会话已过期', 'Sign in first, or the session has expired'),
  forbidden: (zh = '无权执行此操作', en = 'You are not allowed to do this') => new AppError('FORBIDDEN', 403, zh, en),
  notFound: (what: string, whatZh: string) => new AppError('NOT_FOUND', 404, `${whatZh}不存在`, `${what} not found`),
  conflict: (code: string, zh: string, en: string, field?: string) => new AppError(code, 409, zh, en, field),
  csrf: () => new AppError('CSRF_TOKEN_INVALID', 403, 'CSRF 校验失败，请刷新页面后重试', 'CSRF check failed; reload and try again'),
  tooLarge: (limit: number, field = 'file') =>
    new AppError('PAYLOAD_TOO_LARGE', 413, `文件超过大小上限 ${limit} 字节`, `The file exceeds the ${limit}-byte limit`, field),
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  message: { zh: string; en: string };
  field?: string;
  details?: Record<string, unknown>;
  instance?: string;
}

export function problemOf(err: AppError, instance?: string): Problem {
  return {
    type: `urn:yiwang:problem:${err.code}`,
    title: err.en,
    status: err.status,
    code: err.code,
    message: { zh: err.zh, en: err.en },
    ...(err.field ? { field: err.field } : {}),
    ...(err.details ? { details: err.details } : {}),
    ...(instance ? { instance } : {}),
  };
}

function fromFastify(err: FastifyError): AppError | undefined {
  if (err.validation) {
    const first = err.validation[0];
    const params = (first?.params ?? {}) as Record<string, unknown>;
    const base = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
    const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
    const leaf = missing ?? extra;
    const field = [err.validationContext === 'body' ? '' : err.validationContext, base, leaf].filter(Boolean).join('.');
    const msg = first?.message ?? 'invalid';
    if (missing) return new AppError('FIELD_REQUIRED', 400, `缺少必填字段 ${field}`, `Missing required field ${field}`, field);
    if (extra) return new AppError('FIELD_UNKNOWN', 400, `不允许的字段 ${field}`, `Unknown field ${field}`, field);
    return new AppError('VALIDATION_FAILED', 400, `字段 ${field || '(请求体)'} 不符合要求：${msg}`, `Field ${field || '(body)'} is invalid: ${msg}`, field || undefined);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
      return new AppError('PAYLOAD_TOO_LARGE', 413, '请求体或文件超过大小上限', 'The request body or file exceeds the size limit', 'file');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 415, '不支持的内容类型', 'Unsupported content type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('INVALID_JSON', 400, '请求体不是合法的 JSON', 'The request body is not valid JSON');
    case 'FST_ERR_RATE_LIMIT':
      return new AppError('RATE_LIMITED', 429, '请求过于频繁，请稍后再试', 'Too many requests; try again later');
  }
  if (err.statusCode === 404) return new AppError('NOT_FOUND', 404, '资源不存在', 'Not found');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError(err.code ?? 'BAD_REQUEST', err.statusCode, '请求无效', err.message);
  }
  return undefined;
}

export function sendProblem(reply: FastifyReply, err: AppError, req: FastifyRequest) {
  return reply.status(err.status).type('application/problem+json; charset=utf-8').send(problemOf(err, req.url));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const known = error instanceof AppError ? error : fromFastify(error);
    if (known) return sendProblem(reply, known, req);
    req.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, new AppError('INTERNAL', 500, '服务器内部错误', 'Internal server error'), req);
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, new AppError('NOT_FOUND', 404, `接口 ${req.method} ${req.url.split('?')[0]} 不存在`, `No route ${req.method} ${req.url.split('?')[0]}`), req),
  );
}
