import { Injectable } from '@nestjs/common';
import { ScoreItemCommand, ScorerFailure, ScorerName, ScorerResult, ScorerSpec } from '@yardstick/contracts';
import { PreparedConfigCache } from './prepared-config.cache';
import { ProviderSpend } from './scorer';
import { ScorerRegistry } from './scorer.registry';
import { ScorerError, ScorerErrorCode, ScoreUnavailableError } from './scorer.error';

/** An item's scores, the scorers that had none for it, and what their provider calls used (absent when none called). */
export interface ScoredItem {
  results: ScorerResult[];
  errors: ScorerFailure[];
  spend?: ProviderSpend;
}

/** Runs every scorer an item asks for. The same command always gives the same results. */
@Injectable()
export class ScoringService {
  private readonly configs = new PreparedConfigCache();

  constructor(private readonly registry: ScorerRegistry) {}

  /**
   * One result per distinct requested scorer, in request order; a scorer listed twice runs once, with its first config.
   * A ScoreUnavailableError becomes that scorer's entry in `errors`. Throws a ScorerError when any scorer cannot score the
   * item (including an invalid config), and a JudgeCallError when a judge completion could not be had.
   */
  async score(command: ScoreItemCommand): Promise<ScoredItem> {
    const scored: ScoredItem = { results: [], errors: [] };
    for (const { name, config } of firstSpecPerScorer(command.scorers)) {
      const scorer = this.registry.get(name);
      const prepared = this.configs.prepare(scorer, config);
      let outcome;
      try {
        outcome = await scorer.score(command, prepared);
      } catch (error) {
        if (!(error instanceof ScoreUnavailableError)) throw error;
        scored.errors.push({ scorer: name, code: error.code, message: error.message });
        addSpend(scored, error.spend);
        continue;
      }
      const { value, passed, details, spend } = outcome;
      if (!Number.isFinite(value) || value < 0 || value > 1) {
        throw new ScorerError(name, ScorerErrorCode.InvalidValue, `scored ${value}, outside [0, 1]`);
      }
      addSpend(scored, spend);
      scored.results.push({ scorer: name, value, ...(passed === undefined ? {} : { passed }), ...(details === undefined ? {} : { details }) });
    }
    return scored;
  }
}

function addSpend(scored: ScoredItem, spend: ProviderSpend | undefined): void {
  if (!spend) return;
  const sum = scored.spend;
  scored.spend = !sum ? spend : {
    usage: {
      inputTokens: sum.usage.inputTokens + spend.usage.inputTokens,
      outputTokens: sum.usage.outputTokens + spend.usage.outputTokens,
      totalTokens: sum.usage.totalTokens + spend.usage.totalTokens,
    },
    latencyMs: sum.latencyMs + spend.latencyMs,
    costUsd: sum.costUsd + spend.costUsd,
    cacheHit: sum.cacheHit && spend.cacheHit,
    savedTokens: sum.savedTokens + spend.savedTokens,
    savedCostUsd: sum.savedCostUsd + spend.savedCostUsd,
    warnings: [...(sum.warnings ?? []), ...(spend.warnings ?? [])],
  };
}

function firstSpecPerScorer(specs: readonly ScorerSpec[]): ScorerSpec[] {
  const first = new Map<ScorerName, ScorerSpec>();
  for (const spec of specs) if (!first.has(spec.name)) first.set(spec.name, spec);
  return [...first.values()];
}
