import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { CheckedDestination, DestinationGuard } from '../destinations/destination-guard';
import { DeliveryOutcome, outcomeOfResponse } from './delivery-outcome';
import { signatureHeaders } from './webhook-signature';

const USER_AGENT = 'yardstick-webhooks/0.1';

export interface WebhookMessage {
  url: string;
  /** The event id: the `webhook-id` of every attempt. */
  webhookId: string;
  body: string;
  /** Signing secrets, current first; two during a rotation. */
  secrets: readonly string[];
}

export interface AttemptReport {
  startedAt: Date;
  latencyMs: number;
  outcome: DeliveryOutcome;
}

/**
 * POSTs one signed webhook. The destination is checked again by the guard before every attempt, and the
 * connection goes to the address the guard checked (DNS is not asked twice, so a rebinding answer cannot
 * slip in); redirects are never followed. Never throws: every failure is an outcome to log.
 */
export class WebhookSender {
  constructor(
    private readonly guard: DestinationGuard,
    private readonly timeoutMs: number,
  ) {}

  async send(message: WebhookMessage): Promise<AttemptReport> {
    const startedAt = new Date();
    const finish = (outcome: DeliveryOutcome): AttemptReport => ({ startedAt, latencyMs: Date.now() - startedAt.getTime(), outcome });
    const check = await this.guard.check(message.url);
    if (!check.ok) return finish({ kind: 'failed', responseStatus: null, error: `destination refused: ${check.message}` });
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...signatureHeaders(message.webhookId, startedAt, message.body, message.secrets),
    };
    try {
      const response = await this.post(check.destination, headers, message.body);
      // Only the status matters; drop whatever the receiver sent back.
      response.resume();
      const outcome = outcomeOfResponse(response.statusCode ?? 0, headerOf(response, 'retry-after'));
      if (outcome.kind === 'failed' && response.statusCode! >= 300 && response.statusCode! < 400) {
        return finish({ ...outcome, error: `${outcome.error}: redirect to ${headerOf(response, 'location') ?? '(none)'} not followed` });
      }
      return finish(outcome);
    } catch (error) {
      return finish({ kind: 'failed', responseStatus: null, error: describe(error) });
    }
  }

  private post(destination: CheckedDestination, headers: Record<string, string>, body: string): Promise<IncomingMessage> {
    const { url, address, family } = destination;
    // Hands the socket the checked address whatever the hostname; Host and TLS SNI still name the hostname.
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinned,
      agent: false,
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => request.destroy(new TimeoutError(`no response within ${this.timeoutMs} ms`)), this.timeoutMs);
      request.once('response', (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      request.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(body);
    });
  }
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

function headerOf(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code} ${error.message}` : error.message;
}
