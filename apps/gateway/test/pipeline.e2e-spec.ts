import { resolve } from 'node:path';
import { ApiClient, pollUntil, YardstickStack } from '@yardstick/testing';

const ROOT = resolve(__dirname, '../../..');
const ROWS = [
  { question: 'What is the capital of France?', answer: 'Paris', category: 'geo' },
  { question: 'What is the largest planet?', answer: 'Jupiter', category: 'space' },
  { question: 'Who wrote Hamlet?', answer: 'Shakespeare', category: 'books' },
];
const CSV = `question,answer,category\n${ROWS.map((r) => [r.question, r.answer, r.category].join(',')).join('\n')}\n`;

const PIPELINE = [
  { name: 'extract', model: 'sim-large', prompt_template: 'List the facts needed to answer ({{ category }}): {{ question }}', params: { temperature: 0 } },
  { name: 'answer', model: 'sim-small', prompt_template: 'Facts: {{ stages.extract.output }}\nQuestion: {{ question }}\nAnswer briefly.' },
];

describe('two-stage prompt pipeline end to end (services as processes, llm-sim, real Postgres/NATS/Redis)', () => {
  let stack: YardstickStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await new YardstickStack({
      root: ROOT, simEnv: { LLM_SIM_LATENCY_MS: '10', LLM_SIM_EMBED_LATENCY_MS: '5', LLM_SIM_REQUEST_LOG_LIMIT: '1000' },
    }).start();
    api = new ApiClient(stack.gatewayUrl, stack.apiKey);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('refuses a pipeline with template problems, naming the stage and the problem, and stores nothing', async () => {
    const cases: Array<[unknown[], string]> = [
      [[{ ...PIPELINE[0], prompt_template: '{{ question }} {{ stages.answer.output }}' }, PIPELINE[1]],
        'pipeline[0] (extract).prompt_template: stages.answer is a later stage'],
      [[PIPELINE[0], { ...PIPELINE[1], prompt_template: '{{ stages.extract.output }} {{ answer }}' }],
        'pipeline[1] (answer).prompt_template: unknown variable "answer"'],
      [[PIPELINE[0], { ...PIPELINE[1], name: 'extract' }], 'pipeline[1] (extract): name is not unique'],
      [[PIPELINE[0], { ...PIPELINE[1], prompt_template: "{{ ''.constructor.constructor('return process')() }}" }],
        'pipeline[1] (answer).prompt_template: function calls are not allowed'],
      [[{ ...PIPELINE[0], prompt_template: '{{ question ' }], 'pipeline[0] (extract).prompt_template: syntax error'],
    ];
    for (const [pipeline, problem] of cases) {
      const response = await api.request('POST', '/configs', { name: `bad ${problem}`, pipeline });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', details: { problems: expect.arrayContaining([expect.stringContaining(problem)]) } });
    }
    const both = await api.request('POST', '/configs', { name: 'both', prompt_template: '{{question}}', pipeline: PIPELINE });
    expect(both.status).toBe(400);
    expect((await api.request('GET', '/configs')).body.total).toBe(0);
  });

  it('runs extract -> answer: each step called once per item, and its output, tokens and cost shown on the item', async () => {
    const dataset = await api.uploadDataset('pipeline rows', CSV);
    expect(dataset.status).toBe(201);
    const config = await api.request('POST', '/configs', { name: 'extract then answer', pipeline: PIPELINE });
    expect(config.status).toBe(201);
    expect(config.body).toMatchObject({
      model: 'sim-small', prompt_template: null,
      pipeline: [
        { name: 'extract', model: 'sim-large', prompt_template: PIPELINE[0].prompt_template, params: { temperature: 0 } },
        { name: 'answer', model: 'sim-small', prompt_template: PIPELINE[1].prompt_template },
      ],
    });

    const created = await api.request('POST', '/evaluations', {
      run_name: 'pipeline run', dataset_id: dataset.body.id, config_id: config.body.id, config_version: 1, run_mode: 'fast',
    });
    expect(created.status).toBe(201);
    const run = await pollUntil('the run to finish', async () => {
      const { body } = await api.request('GET', `/evaluations/${created.body.id}`);
      return body.status === 'running' ? undefined : body;
    }, { timeoutMs: 60_000 });
    expect(run).toMatchObject({ status: 'completed', items_succeeded: ROWS.length });

    const page = await api.request('GET', `/evaluations/${run.id}/items?limit=10&offset=0`);
    expect(page.body.items).toHaveLength(ROWS.length);
    for (const item of page.body.items) {
      const [extract, answer] = item.pipeline_steps;
      expect(item.pipeline_steps.map((s: { name: string; model: string }) => [s.name, s.model])).toEqual([['extract', 'sim-large'], ['answer', 'sim-small']]);
      for (const step of item.pipeline_steps) {
        expect(step.output).toEqual(expect.any(String));
        expect(step.output.length).toBeGreaterThan(0);
        expect(step.usage.total_tokens).toBeGreaterThan(0);
        expect(step.cost_usd).toBeGreaterThan(0);
        expect(step.latency_ms).toBeGreaterThanOrEqual(0);
      }
      expect(answer.output).toBe(item.output); // the last step's output is the one scored
      const responses = item.stages.find((s: { stage: string }) => s.stage === 'responses');
      expect(responses.usage.total_tokens).toBe(extract.usage.total_tokens + answer.usage.total_tokens);
      expect(responses.cost_usd).toBeCloseTo(extract.cost_usd + answer.cost_usd, 9);
      expect(item.score).toEqual(expect.any(Number));
    }

    const stats: any = await (await fetch(`${stack.simUrl}/sim/stats`)).json();
    expect(stats.by_endpoint.responses).toBe(2 * ROWS.length);
    expect(stats.by_model).toMatchObject({ 'sim-large': ROWS.length, 'sim-small': ROWS.length });
    const log: any = await (await fetch(`${stack.simUrl}/sim/requests`)).json();
    const responses = log.requests.filter((r: { endpoint: string }) => r.endpoint === 'responses').map((r: { fingerprint: string }) => r.fingerprint);
    expect(new Set(responses).size).toBe(2 * ROWS.length); // no step of any item was sent twice
  }, 90_000);
});
