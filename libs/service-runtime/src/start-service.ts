import { DynamicModule, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ReadinessRegistry } from './readiness.registry';

export interface StartServiceOptions {
  name: string;
  module: Type<unknown> | DynamicModule;
  host: string;
  port: number;
  /** Extra wiring for the HTTP app (global prefix, pipes, OpenAPI); used by the gateway. */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Boots a service: Nest app, health endpoints, graceful shutdown on SIGTERM/SIGINT
 * (readiness turns to draining first, then module destroy hooks stop consumers and finish in-flight work).
 */
export async function startService(options: StartServiceOptions): Promise<INestApplication> {
  const logger = new Logger(options.name);
  const app = await NestFactory.create(options.module, { bufferLogs: false });
  await options.configure?.(app);
  app.enableShutdownHooks();
  const readiness = app.get(ReadinessRegistry);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => readiness.markDraining());
  }
  await app.listen(options.port, options.host);
  logger.log(`${options.name} listening on http://${options.host}:${options.port}`);
  return app;
}

/** Entry-point wrapper: a boot failure (bad environment, unreachable dependency) exits 1 with its reason. */
export function runMain(name: string, main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    new Logger(name).error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
