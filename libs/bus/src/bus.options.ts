export interface BusOptions {
  /** NATS server URLs, comma-separated. */
  servers: string;
  /** Names this process to NATS and is the queue group of its request handlers. */
  serviceName: string;
  /**
   * Deployment namespace: prefixes every subject (`<prefix>.eval.run.completed`) and stream name (`<PREFIX>_EVENTS`).
   * Empty in production; tests set a unique one per run so runs never collide.
   */
  prefix: string;
  /** How many messages a handler works on at once when its @OnSubject does not say. */
  defaultConcurrency?: number;
  /** How long shutdown waits for in-flight handlers before releasing their messages. */
  drainTimeoutMs?: number;
}

export const BUS_OPTIONS = Symbol('BUS_OPTIONS');
