import { Batch } from './batch';
import { BATCH_TRANSITIONS, type BatchStatus, canTransition, isFinalStatus } from './batch-status';

const newBatch = () =>
  new Batch({ endpoint: '/v1/responses', inputFileId: 'file-1', completionWindow: '24h', metadata: null, createdAt: 100, expiresAt: 86_500 });

describe(Batch.name, () => {
  it('walks the happy path, stamping each status time', () => {
    const sut = newBatch();
    sut.moveTo('in_progress', 101);
    sut.moveTo('finalizing', 102);
    sut.moveTo('completed', 103);
    expect(sut.toJson()).toMatchObject({
      status: 'completed',
      created_at: 100,
      in_progress_at: 101,
      finalizing_at: 102,
      completed_at: 103,
      expires_at: 86_500,
      failed_at: null,
      cancelled_at: null,
      errors: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
    });
  });

  it.each<[BatchStatus[], string]>([
    [['failed'], 'failed_at'],
    [['in_progress', 'expired'], 'expired_at'],
    [['cancelling', 'cancelled'], 'cancelled_at'],
    [['in_progress', 'cancelling', 'cancelled'], 'cancelling_at'],
  ])('reaches %j and stamps %s', (path, field) => {
    const sut = newBatch();
    for (const status of path) sut.moveTo(status, 200);
    expect(sut.status).toBe(path.at(-1));
    expect(sut.toJson()[field]).toBe(200);
  });

  it.each<[BatchStatus[], BatchStatus]>([
    [[], 'completed'],
    [[], 'finalizing'],
    [['in_progress'], 'failed'],
    [['in_progress', 'finalizing'], 'cancelling'],
    [['in_progress', 'finalizing', 'completed'], 'in_progress'],
    [['cancelling'], 'in_progress'],
  ])('refuses to go from the end of %j to %s', (path, to) => {
    const sut = newBatch();
    for (const status of path) sut.moveTo(status);
    expect(() => sut.moveTo(to)).toThrow(/cannot go from/);
  });

  it('lists errors in the OpenAI shape once set', () => {
    const sut = newBatch();
    sut.errors = [{ code: 'invalid_json_line', message: 'bad', param: null, line: 2 }];
    sut.moveTo('failed');
    expect(sut.toJson().errors).toEqual({ object: 'list', data: [{ code: 'invalid_json_line', message: 'bad', param: null, line: 2 }] });
  });
});

describe('batch statuses', () => {
  it('has end states exactly where no transition leaves', () => {
    const finals = (Object.keys(BATCH_TRANSITIONS) as BatchStatus[]).filter(isFinalStatus).sort();
    expect(finals).toEqual(['cancelled', 'completed', 'expired', 'failed']);
    expect(canTransition('validating', 'in_progress')).toBe(true);
    expect(canTransition('completed', 'cancelling')).toBe(false);
  });
});
