import type { IncomingMessage, ServerResponse } from 'node:http';
import { batchFaultPlanToJson, parseBatchFaultPlan } from './batch-fault';
import { applyBatchSettingsPatch, batchSettingsToJson } from './batch-settings.dto';
import type { BatchService } from './batch.service';
import type { FileStore } from './file-store';
import { handleFiles, methodNotAllowed } from './files.handler';
import { readJson, replyOk } from './http-io';
import { cursorPage } from './list-page';
import { OpenAiApiError } from './openai-api.error';
import { SimConfigError } from './sim-config.error';

/** Batch create bodies are small JSON; uploads go through /v1/files instead. */
const MAX_JSON_BYTES = 1024 * 1024;
const BATCH_PATH = /^\/v1\/batches\/([^/]+)(\/cancel)?$/;

/** A SimConfigError from an admin body becomes the usual 400 naming the field. */
async function asAdminInput<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SimConfigError) throw OpenAiApiError.invalidRequest(error.message, error.setting);
    throw error;
  }
}

/** The Files and Batch API routes plus their /sim admin routes; false when the path is none of them. */
export async function handleBatchRoutes(
  method: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  batches: BatchService,
  store: FileStore,
): Promise<boolean> {
  if (path.startsWith('/v1/files')) return handleFiles(method, path, req, res, store, () => batches.settings.maxFileBytes);
  if (path === '/v1/batches') {
    if (method === 'POST') return replyOk(res, batches.create(await readJson(req, MAX_JSON_BYTES)).toJson());
    if (method !== 'GET') throw methodNotAllowed(method, path, 'GET or POST');
    const page = cursorPage(batches.list(), new URL(req.url ?? '/', 'http://llm-sim').searchParams, 100);
    return replyOk(res, { ...page, data: page.data.map((batch) => batch.toJson()) });
  }
  const match = BATCH_PATH.exec(path);
  if (match) {
    const id = decodeURIComponent(match[1]);
    if (match[2] && method === 'POST') return replyOk(res, batches.cancel(id).toJson());
    if (!match[2] && method === 'GET') return replyOk(res, batches.get(id).toJson());
    throw methodNotAllowed(method, path, match[2] ? 'POST' : 'GET');
  }
  return handleBatchAdmin(`${method} ${path}`, req, res, batches);
}

async function handleBatchAdmin(route: string, req: IncomingMessage, res: ServerResponse, batches: BatchService): Promise<boolean> {
  const pending = (): unknown => ({ pending: batches.pendingFaults().map(batchFaultPlanToJson) });
  switch (route) {
    case 'GET /sim/batch-config':
      return replyOk(res, batchSettingsToJson(batches.settings));
    case 'PUT /sim/batch-config':
      batches.settings = await asAdminInput(async () => applyBatchSettingsPatch(batches.settings, await readJson(req, MAX_JSON_BYTES)));
      return replyOk(res, batchSettingsToJson(batches.settings));
    case 'GET /sim/batch-faults':
      return replyOk(res, pending());
    case 'POST /sim/batch-faults':
      batches.addFault(await asAdminInput(async () => parseBatchFaultPlan(await readJson(req, MAX_JSON_BYTES))));
      return replyOk(res, pending());
    case 'DELETE /sim/batch-faults':
      batches.clearFaults();
      return replyOk(res, pending());
    default:
      return false;
  }
}
