import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { FileStore, StoredFile } from './file-store';
import { replyOk } from './http-io';
import { OpenAiApiError } from './openai-api.error';
import { receiveUpload } from './multipart-upload';
import { cursorPage } from './list-page';

/** Purposes a client may upload; the sim stores only batch input (it produces `batch_output` itself). */
const UPLOAD_PURPOSES = ['batch'];
const FILE_PATH = /^\/v1\/files\/([^/]+)(\/content)?$/;

export const fileNotFound = (id: string, param = 'file_id'): OpenAiApiError =>
  new OpenAiApiError(404, `No such File object: ${id}`, 'invalid_request_error', 'file_not_found', param);

/** The /v1/files routes; false when the path is not one of them. */
export async function handleFiles(
  method: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  store: FileStore,
  maxFileBytes: () => number,
): Promise<boolean> {
  if (path === '/v1/files') {
    if (method === 'POST') return replyOk(res, await upload(req, store, maxFileBytes()));
    if (method === 'GET') return replyOk(res, listFiles(req, store));
    throw methodNotAllowed(method, path, 'GET or POST');
  }
  const match = FILE_PATH.exec(path);
  if (!match) return false;
  const id = decodeURIComponent(match[1]);
  const file = store.get(id);
  if (match[2]) {
    if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
    if (!file) throw fileNotFound(id);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes });
    // A client that goes away mid-download only ends its own response.
    await pipeline(store.openRead(id), res).catch(() => res.destroy());
    return true;
  }
  if (method === 'GET') {
    if (!file) throw fileNotFound(id);
    return replyOk(res, file);
  }
  if (method === 'DELETE') {
    if (!(await store.delete(id))) throw fileNotFound(id);
    return replyOk(res, { id, object: 'file', deleted: true });
  }
  throw methodNotAllowed(method, path, 'GET or DELETE');
}

export const methodNotAllowed = (method: string, path: string, allowed: string): OpenAiApiError =>
  new OpenAiApiError(405, `Method ${method} is not allowed on ${path}; use ${allowed}.`, 'invalid_request_error', 'method_not_allowed');

async function upload(req: IncomingMessage, store: FileStore, maxFileBytes: number): Promise<StoredFile> {
  const received = await receiveUpload(req, store, maxFileBytes);
  if (received.purpose === undefined || !UPLOAD_PURPOSES.includes(received.purpose)) {
    await store.discard(received.id);
    throw OpenAiApiError.invalidRequest(
      received.purpose === undefined ? "Missing required parameter: 'purpose'." : `Invalid 'purpose': llm-sim accepts ${UPLOAD_PURPOSES.join(', ')}.`,
      'purpose',
    );
  }
  return store.register(received.id, received.filename, received.purpose);
}

function listFiles(req: IncomingMessage, store: FileStore): unknown {
  const query = new URL(req.url ?? '/', 'http://llm-sim').searchParams;
  const purpose = query.get('purpose');
  const files = store.list().filter((file) => purpose === null || file.purpose === purpose);
  if (query.get('order') === 'asc') files.reverse();
  return cursorPage(files, query, 10_000);
}
