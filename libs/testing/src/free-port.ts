import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';

/**
 * Ports are drawn below Linux's ephemeral range (32768–60999 by default): a port the OS hands out for listen(0) is
 * released here and bound later by a service, and in between the kernel may give the same number to any outgoing
 * connection (a parallel test's Postgres or NATS client), which then fails the service with EADDRINUSE.
 */
const FIRST = 20_000;
const LAST = 32_000;

/** A port free on 127.0.0.1 when asked, outside the range outgoing connections take theirs from. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries += 1) {
    const port = randomInt(FIRST, LAST + 1);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found between ${FIRST} and ${LAST}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
