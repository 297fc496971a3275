import { isUtf8 } from 'node:buffer';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** Largest JSON body: room for an experiment or a run with several scorer configs of up to 64 KiB each. */
export const JSON_BODY_LIMIT = '1mb';
/** Deepest nesting of arrays and objects any request of the API needs is far below this. */
export const MAX_JSON_DEPTH = 32;

/** A client error raised while the body is read; body-parser passes its status on, the exception filter shows it. */
export class JsonBodyError extends Error {
  readonly status = 400;
  readonly expose = true;
}

/** Refuses a body that is not UTF-8 or that nests deeper than MAX_JSON_DEPTH, before it is parsed. */
export function checkJsonBody(body: Buffer): void {
  if (!isUtf8(body)) throw new JsonBodyError('the request body is not valid UTF-8');
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c) i++; // a backslash escapes the next character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw new JsonBodyError(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
}

export function useJsonBodyParser(app: NestExpressApplication): void {
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT, verify: (_request: unknown, _response: unknown, body: Buffer) => checkJsonBody(body) });
}
