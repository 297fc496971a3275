import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { DeliveryOutcome, outcomeOfResponse } from './delivery-outcome';

const USER_AGENT = 'yardstick-webhooks/0.1';

/** POSTs webhook bodies. Never throws: every failure is an outcome to record. */
export class WebhookSender {
  constructor(private readonly timeoutMs: number) {}

  async send(url: string, body: string, webhookId: string): Promise<DeliveryOutcome> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, 'webhook-id': webhookId },
        body,
        // A redirected POST may turn into a GET elsewhere: a receiver must answer at its registered URL.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return { status: WebhookDeliveryStatus.Failed, responseStatus: null, error: this.describe(error), retryable: true };
    }
    // Only the status matters; release the connection without reading what the receiver sent back.
    await response.body?.cancel().catch(() => undefined);
    return outcomeOfResponse(response.status, response.headers.get('retry-after'));
  }

  private describe(error: unknown): string {
    if (error instanceof Error && error.name === 'TimeoutError') return `no response within ${this.timeoutMs} ms`;
    if (!(error instanceof Error)) return String(error);
    // fetch reports network failures as "fetch failed" with the socket error as its cause.
    const cause = error.cause instanceof Error ? error.cause : undefined;
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    return cause ? `${error.message}: ${code ? `${code} ` : ''}${cause.message}` : error.message;
  }
}
