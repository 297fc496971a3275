import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './admin.handler';
import { AnswerKey } from './answer-key';
import { loadAnswerKeyCsv } from './answer-key.loader';
import { handleBatchRoutes } from './batch.routes';
import { BatchService } from './batch.service';
import { resolveBatchSettings } from './batch-settings';
import { createChatCompletion } from './chat-completions.handler';
import { createEmbeddings } from './embeddings.handler';
import { FileStore } from './file-store';
import { sendError, sendJson } from './http-io';
import { type LlmSimOptions, resolveLlmSimOptions } from './llm-sim.options';
import type { LlmSimState } from './llm-sim.state';
import { listModels, retrieveModel } from './models.handler';
import { OpenAiApiError } from './openai-api.error';
import { RequestLog } from './request-log';
import { createResponse } from './responses.handler';
import { simConfigFromOptions } from './sim-config';
import { type SimEndpoint, SimStats } from './sim-stats';
import { type EndpointHandler, SimulatedEndpointRunner } from './simulated-endpoint.runner';

/** A running simulator. */
export interface LlmSimHandle {
  /** Origin, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  /** `url` + '/v1', ready for `new OpenAI({ baseURL })`. */
  baseURL: string;
  port: number;
  state: LlmSimState;
  close(): Promise<void>;
}

const SIMULATED_POSTS = new Map<string, [SimEndpoint, EndpointHandler]>([
  ['/v1/responses', ['responses', createResponse]],
  ['/v1/chat/completions', ['chat_completions', createChatCompletion]],
  ['/v1/embeddings', ['embeddings', (body) => createEmbeddings(body)]],
]);
const MODEL_PATH = /^\/v1\/models\/([^/]+)$/;

function isAuthorized(req: IncomingMessage, apiKey: string | undefined): boolean {
  if (!apiKey) return true;
  const given = Buffer.from(req.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${apiKey}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const unauthorized = (): OpenAiApiError =>
  new OpenAiApiError(401, 'Incorrect API key provided. Send it as Authorization: Bearer <key>.', 'invalid_request_error', 'invalid_api_key');

/** Starts an OpenAI-compatible simulator; resolves once it listens. */
export async function startLlmSim(options: Partial<LlmSimOptions> = {}): Promise<LlmSimHandle> {
  const resolved = resolveLlmSimOptions(options);
  const answerKey = new AnswerKey(resolved.answerKey);
  if (resolved.answerKeyPath) answerKey.add(loadAnswerKeyCsv(resolved.answerKeyPath));
  const state: LlmSimState = {
    seed: resolved.seed, answerKey, stats: new SimStats(), requestLog: new RequestLog(resolved.requestLogLimit),
    config: simConfigFromOptions(resolved),
  };
  const runner = new SimulatedEndpointRunner(state, resolved.maxBodyBytes);
  const batchSettings = resolveBatchSettings(resolved.batch);
  const files = new FileStore();
  const batches = new BatchService(files, state, batchSettings);

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://llm-sim').pathname.replace(/(.)\/+$/, '$1');
    const admin = await handleAdmin(method, path, req, state, resolved.maxBodyBytes);
    if (admin) return sendJson(res, admin.status, admin.body);
    if (path.startsWith('/v1/') && !isAuthorized(req, resolved.apiKey)) throw unauthorized();
    if (await handleBatchRoutes(method, path, req, res, batches, files)) return;
    const simulated = SIMULATED_POSTS.get(path);
    if (simulated && method === 'POST') return runner.run(simulated[0], simulated[1], req, res);
    if (path === '/v1/models' && method === 'GET') {
      state.stats.recordRequest('models', undefined);
      return sendJson(res, 200, listModels().body);
    }
    const modelId = MODEL_PATH.exec(path)?.[1];
    if (modelId && method === 'GET') {
      state.stats.recordRequest('models', undefined);
      return sendJson(res, 200, retrieveModel(decodeURIComponent(modelId)).body);
    }
    if (simulated) {
      throw new OpenAiApiError(405, `Method ${method} is not allowed on ${path}; use POST.`, 'invalid_request_error', 'method_not_allowed');
    }
    throw new OpenAiApiError(404, `Invalid URL (${method} ${path})`, 'invalid_request_error', 'unknown_url');
  };

  const server = createServer((req, res) => {
    res.setHeader('x-request-id', `req_${randomBytes(12).toString('hex')}`);
    route(req, res).catch((error: unknown) => {
      if (error instanceof OpenAiApiError) return sendError(res, error);
      console.error('llm-sim: unexpected error', error);
      sendError(res, new OpenAiApiError(500, 'llm-sim failed unexpectedly.', 'server_error', 'server_error'));
    });
  });
  // Clients pool keep-alive sockets; a long idle timeout avoids resets under benchmark load.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const url = `http://${host}:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        runner.cancelAll();
        batches.close();
        files.close();
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung and keep-alive connections would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
