import { isWebhookEventPattern } from './webhooks.rpc';

describe(isWebhookEventPattern.name, () => {
  it.each(['eval.run.completed', 'eval.run.failed', 'eval.run.cancelled', 'eval.run.*', 'eval.experiment.*'])('accepts %s', (pattern) => {
    expect(isWebhookEventPattern(pattern)).toBe(true);
  });

  it.each(['eval.run.exploded', 'eval.*', '*', 'eval.item.*', 'eval.item.scored', 'cmd.scorer.score-item', 'eval.run.completed.*', '', 42])(
    'refuses %p', (pattern) => {
      expect(isWebhookEventPattern(pattern)).toBe(false);
    },
  );
});
