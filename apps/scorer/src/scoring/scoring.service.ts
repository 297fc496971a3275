import { Injectable } from '@nestjs/common';
import { ScoreItemCommand, ScorerName, ScorerResult, ScorerSpec } from '@yardstick/contracts';
import { PreparedConfigCache } from './prepared-config.cache';
import { ScorerRegistry } from './scorer.registry';
import { ScorerError, ScorerErrorCode } from './scorer.error';

/** Runs every scorer an item asks for. The same command always gives the same results. */
@Injectable()
export class ScoringService {
  private readonly configs = new PreparedConfigCache();

  constructor(private readonly registry: ScorerRegistry) {}

  /**
   * One result per distinct requested scorer, in request order; a scorer listed twice runs once, with its first config.
   * Throws a ScorerError when any scorer cannot score the item (including an invalid config).
   */
  score(command: ScoreItemCommand): ScorerResult[] {
    return firstSpecPerScorer(command.scorers).map(({ name, config }) => {
      const scorer = this.registry.get(name);
      const { value, passed, details } = scorer.score(command, this.configs.prepare(scorer, config));
      if (!Number.isFinite(value) || value < 0 || value > 1) {
        throw new ScorerError(name, ScorerErrorCode.InvalidValue, `scored ${value}, outside [0, 1]`);
      }
      return { scorer: name, value, ...(passed === undefined ? {} : { passed }), ...(details === undefined ? {} : { details }) };
    });
  }
}

function firstSpecPerScorer(specs: readonly ScorerSpec[]): ScorerSpec[] {
  const first = new Map<ScorerName, ScorerSpec>();
  for (const spec of specs) if (!first.has(spec.name)) first.set(spec.name, spec);
  return [...first.values()];
}
