import { Injectable } from '@nestjs/common';
import { ScorerSpec } from '@yardstick/contracts';
import { ItemResultsRepository } from './item-results.repository';

const MAX_RUNS = 1_000;

/** A run's scorer list never changes once the run exists, so each process reads it once per run. */
@Injectable()
export class RunScorersCache {
  private readonly scorers = new Map<string, Promise<ScorerSpec[]>>();

  constructor(private readonly results: ItemResultsRepository) {}

  get(runId: string): Promise<ScorerSpec[]> {
    let entry = this.scorers.get(runId);
    if (!entry) {
      if (this.scorers.size >= MAX_RUNS) this.scorers.delete(this.scorers.keys().next().value as string);
      entry = this.results.scorers(runId);
      entry.catch(() => this.scorers.delete(runId));
      this.scorers.set(runId, entry);
    }
    return entry;
  }
}
