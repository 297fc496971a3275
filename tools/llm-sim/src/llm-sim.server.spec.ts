import OpenAI from 'openai';
import { startLlmSim, type LlmSimHandle } from './llm-sim.server';
import { cosineSimilarity } from './text-embedding';

const QUESTIONS = Array.from({ length: 200 }, (_, i) => ({ question: `Q${i}: which code opens vault ${i}?`, answer: `code-${i * 7}` }));

describe('startLlmSim through the openai SDK', () => {
  let sim: LlmSimHandle;
  let client: OpenAI;

  beforeAll(async () => {
    sim = await startLlmSim({ port: 0, answerKey: QUESTIONS });
    client = new OpenAI({ baseURL: sim.baseURL, apiKey: 'x', maxRetries: 0 });
  });
  afterAll(() => sim.close());

  it('answers responses.create with output_text and usage', async () => {
    const response = await client.responses.create({ model: 'sim-large', instructions: 'Be brief.', input: 'Tell me about tides.' });
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'sim-large', error: null });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(response.output_text.length).toBeGreaterThan(0);
    const usage = response.usage!;
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
  });

  it('accepts array input with content parts and finds the question in it', async () => {
    const response = await client.responses.create({
      model: 'sim-large',
      temperature: 0,
      input: [{ role: 'user', content: [{ type: 'input_text', text: `Reply tersely. ${QUESTIONS[3].question}` }] }],
    });
    expect(response.output_text).toMatch(/^code-\d+$/);
  });

  it('marks a response cut by max_output_tokens as incomplete', async () => {
    const response = await client.responses.create({ model: 'x', input: 'Explain the water cycle in depth please', max_output_tokens: 2 });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.usage!.output_tokens).toBeLessThanOrEqual(2);
  });

  it('answers chat.completions.create', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: QUESTIONS[5].question },
      ],
      max_tokens: 50,
      seed: 3,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.choices[0].message.content).toMatch(/^code-\d+$/);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
  });

  it('gives the same answer to the same request', async () => {
    const ask = () => client.responses.create({ model: 'sim-small', input: 'Why is the sky blue?', temperature: 0.7 });
    const [a, b] = await Promise.all([ask(), ask()]);
    expect(a.output_text).toBe(b.output_text);
    expect(a.usage).toEqual(b.usage);
    const chat = () =>
      client.chat.completions.create({ model: 'sim-small', messages: [{ role: 'user', content: QUESTIONS[9].question }], seed: 9 });
    const [c, d] = await Promise.all([chat(), chat()]);
    expect(c.choices[0].message.content).toBe(d.choices[0].message.content);
  });

  it('returns the same vectors as base64 (SDK default) and as floats, unit length', async () => {
    const input = ['the cat sat on the mat', 'a cat sat on a mat today', 'quarterly revenue grew'];
    const base64 = await client.embeddings.create({ model: 'text-embedding-3-small', input });
    const floats = await client.embeddings.create({ model: 'text-embedding-3-small', input, encoding_format: 'float' });
    expect(base64.data.map((d) => d.embedding)).toEqual(floats.data.map((d) => d.embedding));
    expect(base64.data.map((d) => d.index)).toEqual([0, 1, 2]);
    for (const { embedding } of floats.data) {
      expect(embedding).toHaveLength(256);
      expect(Math.hypot(...embedding)).toBeCloseTo(1, 5);
    }
    const [cat, cat2, revenue] = floats.data.map((d) => d.embedding);
    expect(cosineSimilarity(cat, cat2)).toBeGreaterThan(cosineSimilarity(cat, revenue) + 0.3);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('honours embedding dimensions', async () => {
    const result = await client.embeddings.create({ model: 'e', input: 'hello', dimensions: 64, encoding_format: 'float' });
    expect(result.data[0].embedding).toHaveLength(64);
  });

  it('lists the simulated models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['sim-large', 'sim-small', 'gpt-4o-mini', 'text-embedding-3-small']));
  });

  it('makes sim-large correct clearly more often than sim-small', async () => {
    const accuracy = async (model: string) => {
      const results = await Promise.all(
        QUESTIONS.map(({ question, answer }) =>
          client.responses.create({ model, input: `Answer the question.\n${question}` }).then((r) => r.output_text === answer),
        ),
      );
      return results.filter(Boolean).length / QUESTIONS.length;
    };
    const large = await accuracy('sim-large');
    const small = await accuracy('sim-small');
    expect(large).toBeGreaterThanOrEqual(0.8);
    expect(small).toBeGreaterThanOrEqual(0.45);
    expect(small).toBeLessThanOrEqual(0.75);
  });

  it('answers OpenAI-shaped errors for bad requests and unknown routes', async () => {
    await expect(client.responses.create({ model: 'sim-large' } as never)).rejects.toMatchObject({ status: 400, param: 'input' });
    await expect(client.embeddings.create({ model: 'e', input: [1, 2, 3] })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(client.get('/nowhere')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const badJson = await fetch(`${sim.baseURL}/responses`, { method: 'POST', body: '{not json' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('refuses bodies over 10 MB with 413', async () => {
    const res = await fetch(`${sim.baseURL}/embeddings`, { method: 'POST', body: 'x'.repeat(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
  });
});
