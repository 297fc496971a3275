import type { IncomingMessage, ServerResponse } from 'node:http';
import { SeededRandom } from './deterministic-random';
import { FaultInjector, injectedFaultError } from './fault-injector';
import { readJson, sendError, sendJson } from './http-io';
import type { EndpointResult, LlmSimState } from './llm-sim.state';
import { FAULT_OUTCOME } from './request-log';
import type { SimEndpoint } from './sim-stats';

export type EndpointHandler = (body: unknown, state: LlmSimState) => EndpointResult;

/**
 * Runs a simulated POST endpoint: count the request, maybe inject a fault, answer after the configured
 * latency. Latency uses timers, so any number of requests wait concurrently without blocking.
 */
export class SimulatedEndpointRunner {
  private readonly faults: FaultInjector;
  private readonly jitter: SeededRandom;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly state: LlmSimState,
    private readonly maxBodyBytes: number,
  ) {
    this.faults = new FaultInjector(state.seed);
    this.jitter = new SeededRandom(state.seed + 1);
  }

  async run(endpoint: SimEndpoint, handler: EndpointHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req, this.maxBodyBytes);
    const model = typeof (body as { model?: unknown } | null)?.model === 'string' ? (body as { model: string }).model : undefined;
    const fingerprint = this.state.stats.recordRequest(endpoint, model, body);
    const logged = this.state.requestLog.record(endpoint, fingerprint);
    const fault = this.faults.pick(this.state.config.faults);
    if (fault) {
      this.state.stats.recordFault(fault);
      if (logged) logged.outcome = FAULT_OUTCOME[fault];
      // A hang leaves the request open: only the client's timeout or disconnect ends it.
      if (fault !== 'hang') sendError(res, injectedFaultError(fault, this.state.config.faults.retryAfterMs));
      return;
    }
    const result = handler(body, this.state);
    if (!(await this.delay(this.latencyMs(endpoint), res))) {
      if (logged) logged.outcome = 'aborted';
      return;
    }
    sendJson(res, 200, result.body);
    if (logged) logged.outcome = 200;
    this.state.stats.recordSuccess(fingerprint, result.correct);
  }

  /** Cancels pending latency waits; their requests are not answered. */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private latencyMs(endpoint: SimEndpoint): number {
    const { latency } = this.state.config;
    if (endpoint === 'embeddings') return latency.embeddingsMs;
    return latency.responsesMs + (latency.responsesJitterMs > 0 ? this.jitter.next() * latency.responsesJitterMs : 0);
  }

  /** Resolves true after `ms`, or false if the client went away first. */
  private delay(ms: number, res: ServerResponse): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(!res.destroyed);
    return new Promise((resolve) => {
      const onClose = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        res.off('close', onClose);
        resolve(!res.destroyed);
      }, ms);
      this.timers.add(timer);
      res.once('close', onClose);
    });
  }
}
