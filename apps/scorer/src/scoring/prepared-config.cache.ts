import { parseScorerConfig } from '@yardstick/contracts';
import { Scorer } from './scorer';
import { ScorerError, ScorerErrorCode } from './scorer.error';

/**
 * Prepared scorer configs by scorer and config JSON, so a run's config is validated, and its regex or JSON schema compiled,
 * once rather than for every item. Every item of a run carries the same configs. The least recently used entry goes first;
 * the bound keeps memory flat (a compiled schema holds its own Ajv instance).
 */
export class PreparedConfigCache {
  private readonly entries = new Map<string, unknown>();

  constructor(private readonly capacity = 64) {}

  /** Throws a ScorerError when the config is invalid: defence in depth behind the check at run creation. */
  prepare(scorer: Scorer, config: object | undefined): unknown {
    const key = `${scorer.name}\n${JSON.stringify(config ?? {})}`;
    if (this.entries.has(key)) {
      const prepared = this.entries.get(key);
      this.entries.delete(key);
      this.entries.set(key, prepared);
      return prepared;
    }
    const parsed = parseScorerConfig(scorer.name, config);
    if (!parsed.ok) throw new ScorerError(scorer.name, ScorerErrorCode.InvalidConfig, `invalid config: ${parsed.problems.join('; ')}`);
    const prepared = scorer.prepare(parsed.value);
    this.entries.set(key, prepared);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return prepared;
  }
}
