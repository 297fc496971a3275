import { BatchResultLine, encodeFloat32Base64 } from '@yardstick/contracts';
import { PriceTable } from '../pricing/price-table';

/** A line of a provider batch's output or error file (OpenAI Batch API format). */
interface ProviderBatchLine {
  custom_id?: unknown;
  response?: { status_code?: number; request_id?: string; body?: ResponsesBody & { error?: { code?: string | null; message?: string } } } | null;
  error?: { code?: string | null; message?: string } | null;
}

interface ResponsesBody {
  id?: string;
  /** An embeddings answer: one vector per input text (base64 little-endian float32, or floats). */
  data?: Array<{ index?: number; embedding?: string | number[] }>;
  usage?: { input_tokens?: number; output_tokens?: number; total_tokens?: number; prompt_tokens?: number; input_tokens_details?: { cached_tokens?: number } };
  model?: string;
  output_text?: string;
  output?: Array<{ type?: string; content?: Array<{ type?: string; text?: string }> }>;
}

/** HTTP statuses waiting can fix, as for a fast call (provider-error.classifier). */
const RETRYABLE_STATUSES = new Set([408, 409, 429]);

/**
 * Turns one line of a batch's output or error file into the normalized result the orchestrator records, priced at the
 * model's batch price. Throws on a line that is not JSON or has no custom_id: the provider broke its own format.
 */
export function parseBatchResultLine(line: string, requestedModel: string, prices: PriceTable): BatchResultLine {
  const parsed = JSON.parse(line) as ProviderBatchLine;
  if (typeof parsed.custom_id !== 'string' || !parsed.custom_id) throw new Error('a batch result line has no custom_id');
  const customId = parsed.custom_id;
  const status = parsed.response?.status_code;
  if (parsed.response && status !== undefined && status >= 200 && status < 300 && parsed.response.body) {
    const body = parsed.response.body;
    if (Array.isArray(body.data)) return embeddingsResult(customId, body, requestedModel, prices);
    const usage = {
      inputTokens: body.usage?.input_tokens ?? 0,
      outputTokens: body.usage?.output_tokens ?? 0,
      totalTokens: body.usage?.total_tokens ?? 0,
    };
    // Price the model that was asked for: a provider may answer with a dated snapshot name the table does not know.
    const costUsd = prices.cost(requestedModel, {
      inputTokens: usage.inputTokens, cachedInputTokens: body.usage?.input_tokens_details?.cached_tokens ?? 0, outputTokens: usage.outputTokens,
    }, 'batch');
    return { customId, output: outputText(body), model: requestedModel, usage, costUsd, providerResponseId: body.id };
  }
  if (parsed.response && status !== undefined) {
    const error = parsed.response.body?.error;
    return {
      customId,
      error: {
        code: error?.code ?? statusCode(status), message: (error?.message ?? `the provider answered ${status}`).slice(0, 2000),
        retryable: status >= 500 || RETRYABLE_STATUSES.has(status), httpStatus: status,
      },
    };
  }
  // No response at all: the batch ended (expired, cancelled) before the request ran. Running it again can succeed.
  return {
    customId,
    error: { code: parsed.error?.code ?? 'batch_request_failed', message: (parsed.error?.message ?? 'the batch gave no response').slice(0, 2000), retryable: true },
  };
}

/** An embeddings request's answer: its vectors by input index, as base64 float32 (see BatchResultLine), at the batch price. */
function embeddingsResult(customId: string, body: ResponsesBody, requestedModel: string, prices: PriceTable): BatchResultLine {
  const inputTokens = body.usage?.prompt_tokens ?? body.usage?.input_tokens ?? 0;
  const embeddings = [...(body.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => (Array.isArray(d.embedding) ? encodeFloat32Base64(d.embedding) : d.embedding ?? ''));
  return {
    customId, model: requestedModel, embeddings,
    usage: { inputTokens, outputTokens: 0, totalTokens: body.usage?.total_tokens ?? inputTokens },
    costUsd: prices.cost(requestedModel, { inputTokens, cachedInputTokens: 0, outputTokens: 0 }, 'batch'),
  };
}

/** The Responses API's `output_text`: the SDK computes it, the raw JSON in a batch file may not carry it. */
function outputText(body: ResponsesBody): string {
  if (typeof body.output_text === 'string') return body.output_text;
  return (body.output ?? [])
    .flatMap((item) => (item.type === 'message' ? item.content ?? [] : []))
    .filter((part) => part.type === 'output_text')
    .map((part) => part.text ?? '')
    .join('');
}

function statusCode(status: number): string {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'provider_error';
  return 'bad_request';
}
