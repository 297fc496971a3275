import { createServer, Server } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP listener that only counts the connections made to it: proof that a refused destination was never contacted. */
export class ConnectionCounter {
  connections = 0;
  private server?: Server;

  async start(host: string): Promise<this> {
    this.server = createServer((socket) => {
      this.connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(0, host, resolve));
    return this;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (this.server?.listening) await new Promise((resolve) => this.server!.close(resolve));
  }
}
