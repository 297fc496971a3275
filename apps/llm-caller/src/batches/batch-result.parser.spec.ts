import { PriceTable } from '../pricing/price-table';
import { parseBatchResultLine } from './batch-result.parser';

describe(parseBatchResultLine.name, () => {
  const prices = new PriceTable();
  const base64 = (values: number[]) => Buffer.from(new Float32Array(values).buffer).toString('base64');

  it('reads the output text from the output items and prices the usage at the batch price', () => {
    const line = JSON.stringify({
      id: 'batch_req_1', custom_id: 'item-1:responses:1',
      response: {
        status_code: 200,
        body: {
          id: 'resp_1', model: 'sim-small-2024',
          output: [{ type: 'message', content: [{ type: 'output_text', text: 'Paris' }, { type: 'output_text', text: '!' }] }],
          usage: { input_tokens: 1_000_000, output_tokens: 1_000_000, total_tokens: 2_000_000 },
        },
      },
      error: null,
    });
    const result = parseBatchResultLine(line, 'sim-small', prices);
    expect(result).toEqual({
      customId: 'item-1:responses:1', output: 'Paris!', model: 'sim-small', providerResponseId: 'resp_1',
      usage: { inputTokens: 1_000_000, outputTokens: 1_000_000, totalTokens: 2_000_000 },
      costUsd: (0.15 + 0.6) * 0.5,
    });
    expect(result.costUsd).toBe(prices.cost('sim-small', { inputTokens: 1_000_000, outputTokens: 1_000_000 }) / 2);
  });

  it('marks a 5xx answer retryable and a 400 answer permanent, keeping the provider error code', () => {
    const failed = (status: number, code: string) => parseBatchResultLine(JSON.stringify({
      custom_id: 'a', response: { status_code: status, body: { error: { code, message: `status ${status}` } } }, error: null,
    }), 'sim-small', prices);
    expect(failed(500, 'server_error').error).toEqual({ code: 'server_error', message: 'status 500', retryable: true, httpStatus: 500 });
    expect(failed(400, 'invalid_value').error).toMatchObject({ code: 'invalid_value', retryable: false, httpStatus: 400 });
  });

  it('marks a request the batch never ran (expired) retryable', () => {
    const result = parseBatchResultLine(JSON.stringify({
      custom_id: 'b', response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' },
    }), 'sim-small', prices);
    expect(result.error).toMatchObject({ code: 'batch_expired', retryable: true });
  });

  it('refuses a line without a custom_id', () => {
    expect(() => parseBatchResultLine('{"response":null}', 'sim-small', prices)).toThrow('custom_id');
  });

  it('encodes an embeddings answer given as floats (a provider that ignored encoding_format) as base64 float32', () => {
    const line = JSON.stringify({
      custom_id: 'item-1:embeddings:1',
      response: { status_code: 200, body: { data: [{ index: 0, embedding: [0.1, -2.5] }], usage: { prompt_tokens: 3, total_tokens: 3 } } },
    });
    expect(parseBatchResultLine(line, 'sim-embed', prices).embeddings).toEqual([base64([0.1, -2.5])]);
  });

  it('keeps an embeddings answer\'s base64 vectors, in input order, priced at the batch price', () => {
    const line = JSON.stringify({
      custom_id: 'item-1:embeddings:1',
      response: { status_code: 200, body: {
        object: 'list', model: 'e',
        data: [{ index: 1, embedding: base64([0.5, -0.25]) }, { index: 0, embedding: base64([0.1, 0.2]) }],
        usage: { prompt_tokens: 1_000_000, total_tokens: 1_000_000 },
      } },
    });
    const result = parseBatchResultLine(line, 'sim-small', prices);
    expect(result.embeddings).toEqual([base64([0.1, 0.2]), base64([0.5, -0.25])]);
    expect(result.usage).toEqual({ inputTokens: 1_000_000, outputTokens: 0, totalTokens: 1_000_000 });
    expect(result.costUsd).toBe(prices.cost('sim-small', { inputTokens: 1_000_000, outputTokens: 0 }) / 2);
  });
});
