import { randomUUID } from 'node:crypto';
import { Consumers, Streams, Subjects } from '@yardstick/contracts';
import { ApiClient, BusProbe } from '@yardstick/testing';
import { GatewayHarness } from './gateway-harness';

type Client = ApiClient & { projectId: string };

describe('experiment configs saved as config versions (gateway in-process, real Postgres/NATS, events published by the test)', () => {
  const gateway = new GatewayHarness();
  let tenantA: Client;
  let tenantB: Client;
  let probe: BusProbe;

  /** An eval.experiment.config_started as the orchestrator's outbox would publish it, under a message id of our choice. */
  const publish = (event: Record<string, unknown>, messageId = randomUUID()) => probe.publishRaw(Subjects.ExperimentConfigStarted, JSON.stringify({
    id: messageId, subject: Subjects.ExperimentConfigStarted, schema_version: 1, occurred_at: new Date().toISOString(),
    correlation_id: event.experimentId, data: event,
  }), messageId);

  const configStarted = (projectId: string, savedConfigId: string, point: { model: string; temperature: number }) => ({
    experimentId: '00000000-0000-4000-8000-00000000e001', projectId, name: 'sweep', configId: randomUUID(), runId: randomUUID(), ordinal: 1,
    params: point, configHash: `hash-${point.model}-${point.temperature}`, savedConfigId,
    config: {
      configId: '00000000-0000-4000-8000-00000000c001', version: 1, model: point.model, instructions: 'Be brief.', promptTemplate: 'Q: {{question}}',
      params: { temperature: point.temperature, maxOutputTokens: 32 }, embeddingModel: 'text-embedding-3-small',
    },
  });

  beforeAll(async () => {
    await gateway.start();
    tenantA = await gateway.client('org-a', 'alpha');
    tenantB = await gateway.client('org-b', 'beta');
    probe = await BusProbe.connect(gateway.id);
  }, 60_000);

  afterAll(async () => {
    await probe?.close();
    await gateway.stop();
  });

  it('saves each sampled config once as the next version, however often and however concurrently its event is delivered', async () => {
    const saved = await tenantA.request('POST', '/configs', { name: 'experiment: sweep', model: 'sim-small', prompt_template: 'Q: {{question}}' });
    expect(saved.status).toBe(201);
    const first = configStarted(tenantA.projectId, saved.body.id, { model: 'sim-large', temperature: 0.7 });
    const second = configStarted(tenantA.projectId, saved.body.id, { model: 'sim-small', temperature: 0 });
    // Distinct message ids: JetStream's duplicate window does not hide these repeats; only the handler can.
    await Promise.all([publish(first), publish(first), publish(second), publish(first)]);
    const last = await publish(second);
    await probe.waitUntilSettled(Consumers.GatewayExperimentConfigStarted, last);

    const versions = await tenantA.request('GET', `/configs/${saved.body.id}/versions`);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
    expect(versions.body.items[0].experiment_config_id).toBeNull();
    const byExperimentConfig = new Map(versions.body.items.slice(1).map((v: { experiment_config_id: string }) => [v.experiment_config_id, v]));
    expect(byExperimentConfig.get(first.configId)).toMatchObject({
      model: 'sim-large', instructions: 'Be brief.', prompt_template: 'Q: {{question}}', embedding_model: 'text-embedding-3-small',
      params: { temperature: 0.7, top_p: null, max_output_tokens: 32, seed: null }, pipeline: null,
    });
    expect(byExperimentConfig.get(second.configId)).toMatchObject({ model: 'sim-small', params: { temperature: 0, max_output_tokens: 32 } });
    expect((await tenantA.request('GET', `/configs/${saved.body.id}`)).body.latest_version).toBe(3);

    // A redelivery long after the version was saved still adds nothing.
    await probe.waitUntilSettled(Consumers.GatewayExperimentConfigStarted, await publish(first));
    expect((await tenantA.request('GET', `/configs/${saved.body.id}/versions`)).body.total).toBe(3);
  });

  it('never saves into another project\'s config, and ignores experiments without a saved config', async () => {
    const foreign = await tenantB.request('POST', '/configs', { name: 'theirs', model: 'sim-small', prompt_template: 'Q: {{question}}' });
    await publish(configStarted(tenantA.projectId, foreign.body.id, { model: 'sim-large', temperature: 1 }));
    const last = await publish({ ...configStarted(tenantA.projectId, foreign.body.id, { model: 'sim-large', temperature: 0.5 }), savedConfigId: null });
    await probe.waitUntilSettled(Consumers.GatewayExperimentConfigStarted, last);
    const versions = await tenantB.request('GET', `/configs/${foreign.body.id}/versions`);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    const dead = await probe.waitForMessage<{ reason?: string }>(Streams.DeadLetters, `dlq.${Subjects.ExperimentConfigStarted}`, () => true);
    expect(JSON.stringify(dead.body)).toContain(foreign.body.id);
  });

  it('keeps no experiment config when the orchestrator does not create the experiment', async () => {
    const dataset = await tenantA.uploadDataset('one row', 'question,answer\nq,a\n');
    const base = await tenantA.request('POST', '/configs', { name: 'base', model: 'sim-small', prompt_template: 'Q: {{question}}' });
    // No orchestrator runs here: the create-experiment request times out and the gateway's transaction rolls back.
    const created = await tenantA.request('POST', '/experiments', {
      name: 'orphan check', dataset_id: dataset.body.id, config_id: base.body.id, parameter_space: [{ name: 'seed', values: [1] }],
      strategy: { kind: 'grid' },
    });
    expect(created.status).toBeGreaterThanOrEqual(500);
    const configs = await tenantA.request('GET', '/configs?limit=100');
    expect(configs.body.items.map((c: { name: string }) => c.name)).not.toContain('experiment: orphan check');
  });
});
