import type { Response } from 'express';

/** The client stopped reading for longer than allowed: the connection is closed and the client resumes with Last-Event-ID. */
export class SlowClientError extends Error {}

/**
 * Writes Server-Sent Events to one response, honouring backpressure: while the socket's buffer is full nothing more is
 * read from the bus, and a client that does not drain it within `maxStallMs` is disconnected instead of buffered for.
 */
export class SseWriter {
  constructor(
    private readonly response: Response,
    private readonly maxStallMs: number,
  ) {}

  open(retryMs: number): void {
    this.response.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies (nginx) must not hold events back.
      'x-accel-buffering': 'no',
    });
    this.response.flushHeaders();
    this.response.write(`retry: ${retryMs}\n\n`);
  }

  /** One event; `id` omitted for an event that is not stored (so the client's Last-Event-ID stays where it was). */
  async event(name: string, data: unknown, id?: number): Promise<void> {
    await this.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A comment line: keeps proxies and load balancers from closing an idle stream. Skipped while the client lags. */
  heartbeat(): void {
    if (!this.response.writableNeedDrain && !this.response.writableEnded && !this.response.destroyed) this.response.write(': heartbeat\n\n');
  }

  end(): void {
    if (!this.response.writableEnded) this.response.end();
  }

  private async write(frame: string): Promise<void> {
    if (this.response.write(frame)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new SlowClientError(`client did not read for ${this.maxStallMs} ms`));
      }, this.maxStallMs);
      const done = () => {
        cleanup();
        resolve();
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.response.off('drain', done);
        this.response.off('close', done);
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }
}
