import { describe, expect, it } from 'vitest';
import { ApiError, errorText, fieldErrors, fieldPath, toProblem } from './problem';

const body = {
  type: 'urn:yiwang:problem:FIELD_REQUIRED',
  title: 'Missing required field lots.0.name',
  status: 400,
  code: 'FIELD_REQUIRED',
  message: { zh: '缺少必填字段 lots.0.name', en: 'Missing required field lots.0.name' },
  field: 'lots.0.name',
};

describe('problem+json', () => {
  it('reads the server shape and picks the language', () => {
    const err = new ApiError(toProblem(400, body));
    expect(err.code).toBe('FIELD_REQUIRED');
    expect(errorText(err, 'zh-CN')).toBe('缺少必填字段 lots.0.name');
    expect(errorText(err, 'en')).toBe('Missing required field lots.0.name');
  });
  it('maps the field to an Ant Design name path with numeric indexes', () => {
    const err = new ApiError(toProblem(400, body));
    expect(fieldErrors(err, 'en')).toEqual([{ name: ['lots', 0, 'name'], errors: ['Missing required field lots.0.name'] }]);
    expect(fieldPath('body.title')).toEqual(['title']);
    expect(fieldPath('querystring.limit')).toEqual(['limit']);
  });
  it('has no field errors when the server names no field', () => {
    const { field: _f, ...rest } = body;
    expect(fieldErrors(new ApiError(toProblem(400, rest)), 'zh-CN')).toBeUndefined();
    expect(fieldErrors(new Error('x'), 'zh-CN')).toBeUndefined();
  });
  it('gives a bilingual message for bodies that are not problems', () => {
    expect(toProblem(502, '<html>Bad gateway</html>').code).toBe('INTERNAL');
    expect(toProblem(0, undefined).message.zh).toContain('无法连接服务器');
    expect(toProblem(401, null).code).toBe('UNAUTHENTICATED');
    expect(toProblem(422, { code: 'X' }).message.en).toBe('Request failed (422)');
  });
});
