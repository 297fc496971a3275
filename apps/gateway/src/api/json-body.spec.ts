import { checkJsonBody, MAX_JSON_DEPTH } from './json-body';

describe('checkJsonBody', () => {
  const nested = (depth: number) => Buffer.from(`${'['.repeat(depth)}1${']'.repeat(depth)}`);

  it('accepts UTF-8 JSON up to the depth limit, counting only brackets outside strings', () => {
    expect(() => checkJsonBody(nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => checkJsonBody(Buffer.from(JSON.stringify({ text: `${'{['.repeat(100)} "\\" [[[ 日本語 🚀` })))).not.toThrow();
  });

  it('refuses deeper nesting and invalid UTF-8 with a 400 naming the problem', () => {
    expect(() => checkJsonBody(nested(MAX_JSON_DEPTH + 1))).toThrow(expect.objectContaining({ status: 400, message: expect.stringContaining('deeper') }));
    expect(() => checkJsonBody(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).toThrow(/not valid UTF-8/);
  });
});
