import { Stage } from '@yardstick/contracts';
import { batchCustomId, parseBatchCustomId, responsesRequestLine } from './batch-request-line';
import { endedStatus, missingResultError, nextPollDelayMs, StageBatchStatus } from './stage-batch';

describe('stage batch transitions', () => {
  it('ends a stage batch only on a final provider status, keeping which one', () => {
    expect(['validating', 'in_progress', 'finalizing', 'cancelling'].map(endedStatus)).toEqual([null, null, null, null]);
    expect(endedStatus('completed')).toBe(StageBatchStatus.Completed);
    expect(endedStatus('expired')).toBe(StageBatchStatus.Expired);
    expect(endedStatus('failed')).toBe(StageBatchStatus.Failed);
    expect(endedStatus('cancelled')).toBe(StageBatchStatus.Cancelled);
  });

  it('backs off from the minimum by 1.5x per poll up to the maximum', () => {
    expect([0, 1, 2, 3].map((polls) => nextPollDelayMs(polls, 2_000, 300_000))).toEqual([2_000, 3_000, 4_500, 6_750]);
    expect(nextPollDelayMs(40, 2_000, 300_000)).toBe(300_000);
  });

  it('retries requests a cancelled or expired batch never ran, but not those of a batch the provider rejected', () => {
    expect(missingResultError(StageBatchStatus.Cancelled, null)).toMatchObject({ code: 'batch_cancelled', retryable: true });
    expect(missingResultError(StageBatchStatus.Expired, null)).toMatchObject({ code: 'batch_expired', retryable: true });
    expect(missingResultError(StageBatchStatus.Failed, 'invalid_body (line 3): bad')).toEqual({
      code: 'batch_failed', message: 'the provider rejected the batch: invalid_body (line 3): bad', retryable: false,
    });
  });
});

describe('batch request lines', () => {
  const itemId = '0b7f3c1e-2d4a-4c47-9a51-2f0f5f4c9d10';

  it('writes one Responses API request per line, keyed by item, stage and attempt', () => {
    const line = responsesRequestLine({ itemId, attempt: 2, model: 'sim-small', instructions: 'Be brief.', input: 'Q: 1+1?', params: { temperature: 0 } });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trim().includes('\n')).toBe(false);
    expect(JSON.parse(line)).toEqual({
      custom_id: `${itemId}:responses:2`, method: 'POST', url: '/v1/responses',
      body: { model: 'sim-small', input: 'Q: 1+1?', instructions: 'Be brief.', temperature: 0 },
    });
  });

  it('reads back the item and attempt of a custom_id, and refuses a foreign one', () => {
    expect(parseBatchCustomId(batchCustomId(itemId, Stage.Responses, 7))).toEqual({ itemId, stage: Stage.Responses, attempt: 7 });
    expect(parseBatchCustomId('request-1')).toBeNull();
    expect(parseBatchCustomId(`${itemId}:nonsense:1`)).toBeNull();
  });
});
