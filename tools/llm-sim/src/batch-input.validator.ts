import type { BatchValidationError } from './batch';
import { BATCH_ENDPOINTS, embeddingInputCount } from './batch-endpoints';
import { readJsonlLines } from './jsonl-lines';

export interface BatchInputLimits {
  maxRequests: number;
  maxFileBytes: number;
  maxEmbeddingInputs: number;
}

export interface BatchInputCheck {
  errors: BatchValidationError[];
  total: number;
  /** The first request's `body.model`, reported as the batch's model. */
  model: string | null;
}

/** A file with many bad lines reports this many; the batch fails on the first anyway. */
const MAX_REPORTED_ERRORS = 100;

/** One parsed input line: `{ custom_id, method, url, body }`. */
export interface BatchRequestLine {
  custom_id: string;
  method: string;
  url: string;
  body: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a batch input file one line at a time, as OpenAI does while `validating`: JSON lines, unique custom_ids,
 * POST to the batch's endpoint, an object body, and the request and embedding-input limits.
 */
export class BatchInputValidator {
  private readonly errors: BatchValidationError[] = [];
  private readonly customIds = new Set<string>();
  private total = 0;
  private embeddingInputs = 0;
  private model: string | null = null;

  constructor(
    private readonly endpoint: string,
    private readonly limits: BatchInputLimits,
  ) {}

  addLine(text: string, line: number): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.fail('invalid_json_line', `Line ${line} is not valid JSON.`, null, line);
    }
    if (!isObject(parsed)) return this.fail('invalid_json_line', `Line ${line} must be a JSON object.`, null, line);
    this.total++;
    if (this.total > this.limits.maxRequests) {
      // Reported once, on the first request past the limit.
      if (this.total === this.limits.maxRequests + 1) {
        this.fail('too_many_requests', `A batch may contain at most ${this.limits.maxRequests} requests.`, null, line);
      }
      return;
    }
    this.checkRequest(parsed, line);
  }

  /** The outcome once every line is in; a file without requests fails as `empty_file`. */
  finish(fileBytes: number): BatchInputCheck {
    if (fileBytes > this.limits.maxFileBytes) {
      this.fail('file_too_large', `The input file has ${fileBytes} bytes; the limit is ${this.limits.maxFileBytes}.`, null, null);
    }
    if (this.total === 0 && this.errors.length === 0) {
      this.fail('empty_file', 'The batch input file contains no requests.', null, null);
    }
    return { errors: this.errors, total: this.total, model: this.model };
  }

  private checkRequest(request: Record<string, unknown>, line: number): void {
    const { custom_id: customId, method, url, body } = request;
    if (typeof customId !== 'string' || customId === '') {
      return this.fail('missing_custom_id', "Each request needs a non-empty string 'custom_id'.", 'custom_id', line);
    }
    if (this.customIds.has(customId)) {
      return this.fail('duplicate_custom_id', `The custom_id '${customId}' is used by an earlier request; each must be unique.`, 'custom_id', line);
    }
    this.customIds.add(customId);
    if (method !== 'POST') return this.fail('invalid_method', "The 'method' must be 'POST'.", 'method', line);
    if (typeof url !== 'string' || !BATCH_ENDPOINTS.has(url)) {
      const known = [...BATCH_ENDPOINTS.keys()].join(', ');
      return this.fail('invalid_url', `The 'url' must be one of ${known}.`, 'url', line);
    }
    if (url !== this.endpoint) {
      return this.fail('mismatched_endpoint', `The 'url' ${url} differs from the batch's endpoint ${this.endpoint}.`, 'url', line);
    }
    if (!isObject(body)) return this.fail('invalid_body', "The 'body' must be a JSON object.", 'body', line);
    if (this.model === null && typeof body.model === 'string') this.model = body.model;
    if (url === '/v1/embeddings') this.countEmbeddingInputs(body, line);
  }

  private countEmbeddingInputs(body: Record<string, unknown>, line: number): void {
    const before = this.embeddingInputs;
    this.embeddingInputs += embeddingInputCount(body);
    if (before <= this.limits.maxEmbeddingInputs && this.embeddingInputs > this.limits.maxEmbeddingInputs) {
      const limit = this.limits.maxEmbeddingInputs;
      this.fail('too_many_embedding_inputs', `A batch may contain at most ${limit} embedding inputs in all.`, 'input', line);
    }
  }

  private fail(code: string, message: string, param: string | null, line: number | null): void {
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ code, message, param, line });
  }
}

/** Streams the input file through a BatchInputValidator. */
export async function validateBatchInputFile(
  path: string,
  fileBytes: number,
  endpoint: string,
  limits: BatchInputLimits,
): Promise<BatchInputCheck> {
  const validator = new BatchInputValidator(endpoint, limits);
  // Reading 200 MB that will be refused anyway is wasted work.
  if (fileBytes <= limits.maxFileBytes) {
    for await (const { number, text } of readJsonlLines(path)) validator.addLine(text, number);
  }
  return validator.finish(fileBytes);
}
