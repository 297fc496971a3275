import { createServer, IncomingHttpHeaders, OutgoingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The exact bytes received, for signature checks. */
  raw: string;
  body: unknown;
  at: number;
}

export interface ReceiverAnswer {
  status: number;
  headers?: OutgoingHttpHeaders;
}

/**
 * A local HTTP endpoint standing in for a customer's webhook receiver; answers with the given answers in turn,
 * the last one from then on. It can be stopped and started again on the same port (a receiver that is down).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server?: Server;
  private port = 0;

  constructor(private answers: Array<number | ReceiverAnswer> = [200]) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/yardstick`;
  }

  /** Answers from now on. */
  answerWith(...answers: Array<number | ReceiverAnswer>): void {
    this.answers = answers;
    this.received.length = 0;
  }

  async start(port = this.port): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.received.push({ headers: request.headers, raw, body: JSON.parse(raw), at: Date.now() });
        const next = this.answers[Math.min(this.received.length, this.answers.length) - 1];
        const answer = typeof next === 'number' ? { status: next } : next;
        response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(String(answer.status));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server?.listening) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }
}
