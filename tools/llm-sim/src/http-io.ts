import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpenAiApiError } from './openai-api.error';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: OpenAiApiError): void {
  sendJson(res, error.status, error.toBody(), error.headers);
}

/**
 * Reads the whole body. An oversized body is drained before the 413 so the client, still sending,
 * receives the status instead of a reset connection.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBytes) {
        reject(new OpenAiApiError(413, `Request body exceeds ${maxBytes} bytes.`, 'invalid_request_error', 'request_too_large'));
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', reject);
  });
}

export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const raw = await readBody(req, maxBytes);
  if (raw.length === 0) throw OpenAiApiError.invalidRequest('The request body is empty; expected JSON.');
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw OpenAiApiError.invalidRequest(
      'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.',
      null,
      'invalid_json',
    );
  }
}

/** Answers 200 with the JSON body; returns true so a route handler can `return replyOk(...)` once it has answered. */
export function replyOk(res: ServerResponse, body: unknown): true {
  sendJson(res, 200, body);
  return true;
}
