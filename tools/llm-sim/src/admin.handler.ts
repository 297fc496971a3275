import type { IncomingMessage } from 'node:http';
import type { AnswerKeyItem } from './answer-key';
import { readJson } from './http-io';
import type { LlmSimState } from './llm-sim.state';
import { OpenAiApiError } from './openai-api.error';
import { applySimConfigPatch, simConfigToJson } from './sim-config.dto';
import { SimConfigError } from './sim-config.error';

export interface AdminReply {
  status: number;
  body: unknown;
}

function answerKeyItems(body: unknown): { items: AnswerKeyItem[]; replace: boolean } {
  const input = body as { items?: unknown; replace?: unknown } | null;
  if (!input || !Array.isArray(input.items)) {
    throw OpenAiApiError.invalidRequest("'items' must be an array of { question, answer }.", 'items');
  }
  const items = input.items.map((item: unknown, i: number) => {
    const row = item as { question?: unknown; answer?: unknown } | null;
    if (!row || typeof row.question !== 'string' || typeof row.answer !== 'string') {
      throw OpenAiApiError.invalidRequest(`items[${i}] needs string 'question' and 'answer'.`, `items[${i}]`);
    }
    return { question: row.question, answer: row.answer };
  });
  if (input.replace !== undefined && typeof input.replace !== 'boolean') {
    throw OpenAiApiError.invalidRequest("'replace' must be a boolean.", 'replace');
  }
  return { items, replace: input.replace === true };
}

/** The /healthz and /sim/* routes; undefined when the route is not an admin route. */
export async function handleAdmin(
  method: string,
  path: string,
  req: IncomingMessage,
  state: LlmSimState,
  maxBodyBytes: number,
): Promise<AdminReply | undefined> {
  switch (`${method} ${path}`) {
    case 'GET /healthz':
      return { status: 200, body: { status: 'ok' } };
    case 'GET /sim/stats':
      return { status: 200, body: state.stats.toJson() };
    case 'GET /sim/requests': {
      const fingerprint = new URL(req.url ?? '/', 'http://llm-sim').searchParams.get('fingerprint') ?? undefined;
      return { status: 200, body: state.requestLog.toJson(fingerprint) };
    }
    case 'POST /sim/reset':
      state.stats.reset();
      state.requestLog.clear();
      return { status: 200, body: { status: 'ok' } };
    case 'GET /sim/config':
      return { status: 200, body: simConfigToJson(state.config) };
    case 'PUT /sim/config':
      try {
        state.config = applySimConfigPatch(state.config, await readJson(req, maxBodyBytes));
      } catch (error) {
        if (error instanceof SimConfigError) throw OpenAiApiError.invalidRequest(error.message, error.setting);
        throw error;
      }
      return { status: 200, body: simConfigToJson(state.config) };
    case 'GET /sim/answer-key':
      return { status: 200, body: { count: state.answerKey.size } };
    case 'POST /sim/answer-key': {
      const { items, replace } = answerKeyItems(await readJson(req, maxBodyBytes));
      const added = replace ? state.answerKey.replace(items) : state.answerKey.add(items);
      return { status: 200, body: { count: state.answerKey.size, added } };
    }
    default:
      return undefined;
  }
}
