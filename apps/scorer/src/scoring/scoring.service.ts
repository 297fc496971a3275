import { Injectable } from '@nestjs/common';
import { ScoreItemCommand, ScorerResult } from '@yardstick/contracts';
import { ScorerRegistry } from './scorer.registry';
import { ScorerError, ScorerErrorCode } from './scorer.error';

/** Runs every scorer an item asks for. Pure: the same command always gives the same results. */
@Injectable()
export class ScoringService {
  constructor(private readonly registry: ScorerRegistry) {}

  /** One result per distinct requested scorer, in request order. Throws a ScorerError when any scorer cannot score the item. */
  score(command: ScoreItemCommand): ScorerResult[] {
    const names = [...new Set(command.scorers.map((spec) => spec.name))];
    return names.map((name) => {
      const { value, passed, details } = this.registry.get(name).score(command);
      if (!Number.isFinite(value) || value < 0 || value > 1) {
        throw new ScorerError(name, ScorerErrorCode.InvalidValue, `scored ${value}, outside [0, 1]`);
      }
      return { scorer: name, value, ...(passed === undefined ? {} : { passed }), ...(details === undefined ? {} : { details }) };
    });
  }
}
