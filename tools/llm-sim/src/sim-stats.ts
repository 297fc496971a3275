import { createHash } from 'node:crypto';

/** The simulated endpoints that are counted; the names are the keys of `by_endpoint` in GET /sim/stats. */
export type SimEndpoint = 'responses' | 'chat_completions' | 'embeddings' | 'models';
export type SimFault = '429' | '500' | '400' | 'hang';

/** The JSON of GET /sim/stats. */
export interface SimStatsJson {
  total: number;
  by_endpoint: Record<SimEndpoint, number>;
  by_model: Record<string, number>;
  by_fingerprint: Record<string, number>;
  by_fingerprint_succeeded: Record<string, number>;
  repeated_fingerprints: number;
  faults: Record<SimFault, number>;
  correct_answers: number;
  wrong_answers: number;
}

/** JSON with object keys sorted at every level, so equal bodies serialise identically. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** sha256 of the endpoint and the canonical body: equal requests share a fingerprint. */
export function requestFingerprint(endpoint: SimEndpoint, body: unknown): string {
  return createHash('sha256').update(`${endpoint}\n${canonicalJson(body)}`).digest('hex');
}

const increment = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

/** Counts of what the simulator was asked and how it answered, for tests and benchmarks. */
export class SimStats {
  private total = 0;
  private byEndpoint: Record<SimEndpoint, number> = { responses: 0, chat_completions: 0, embeddings: 0, models: 0 };
  private readonly byModel = new Map<string, number>();
  private readonly byFingerprint = new Map<string, number>();
  private readonly byFingerprintSucceeded = new Map<string, number>();
  private repeated = 0;
  private faults: Record<SimFault, number> = { '429': 0, '500': 0, '400': 0, hang: 0 };
  private correct = 0;
  private wrong = 0;

  /** Counts a request that reached an endpoint; returns its fingerprint when it has a body. */
  recordRequest(endpoint: SimEndpoint, model: string | undefined, body?: unknown): string | undefined {
    this.total++;
    this.byEndpoint[endpoint]++;
    if (model !== undefined) increment(this.byModel, model);
    if (body === undefined) return undefined;
    const fingerprint = requestFingerprint(endpoint, body);
    increment(this.byFingerprint, fingerprint);
    if (this.byFingerprint.get(fingerprint) === 2) this.repeated++;
    return fingerprint;
  }

  recordSuccess(fingerprint: string | undefined, correct?: boolean): void {
    if (fingerprint !== undefined) increment(this.byFingerprintSucceeded, fingerprint);
    if (correct === true) this.correct++;
    if (correct === false) this.wrong++;
  }

  recordFault(fault: SimFault): void {
    this.faults[fault]++;
  }

  reset(): void {
    this.total = 0;
    this.byEndpoint = { responses: 0, chat_completions: 0, embeddings: 0, models: 0 };
    this.byModel.clear();
    this.byFingerprint.clear();
    this.byFingerprintSucceeded.clear();
    this.repeated = 0;
    this.faults = { '429': 0, '500': 0, '400': 0, hang: 0 };
    this.correct = 0;
    this.wrong = 0;
  }

  toJson(): SimStatsJson {
    return {
      total: this.total,
      by_endpoint: { ...this.byEndpoint },
      by_model: Object.fromEntries(this.byModel),
      by_fingerprint: Object.fromEntries(this.byFingerprint),
      by_fingerprint_succeeded: Object.fromEntries(this.byFingerprintSucceeded),
      repeated_fingerprints: this.repeated,
      faults: { ...this.faults },
      correct_answers: this.correct,
      wrong_answers: this.wrong,
    };
  }
}
