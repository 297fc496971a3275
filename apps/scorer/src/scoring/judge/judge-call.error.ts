import { StageError } from '@yardstick/contracts';

/**
 * The judge completion could not be had (provider down, rate limited past the wait, llm-caller unreachable, a rejected key).
 * Not a scoring result: the item's scoring stage fails with this error, retried or not as it says, like any provider stage.
 */
export class JudgeCallError extends Error {
  constructor(readonly stageError: StageError) {
    super(stageError.message);
    this.name = 'JudgeCallError';
  }
}
