import { ApiClient } from '@yardstick/testing';
import { GatewayHarness } from './gateway-harness';

const RATE_LIMIT = 40;

describe('tenancy: API keys, project scoping and per-key rate limits (gateway in-process, real Postgres/NATS/Redis)', () => {
  const gateway = new GatewayHarness();
  let tenantA: ApiClient & { projectId: string };
  let tenantB: ApiClient & { projectId: string };

  beforeAll(async () => {
    await gateway.start({ RATE_LIMIT_REQUESTS: String(RATE_LIMIT), RATE_LIMIT_WINDOW_MS: '60000' });
    tenantA = await gateway.client('org-a', 'alpha');
    tenantB = await gateway.client('org-b', 'beta');
  }, 60_000);

  afterAll(() => gateway.stop());

  it('answers 401 with the one error shape to a request without a key, with a malformed key and with an unknown key', async () => {
    for (const authorization of [undefined, 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer ys_live_abcd1234_' + 'A'.repeat(43)]) {
      const response = await fetch(`${gateway.baseUrl}/datasets`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it('keeps health probes open', async () => {
    const health = await fetch(gateway.baseUrl.replace('/api/v1', '/healthz'));
    expect(health.status).toBe(200);
  });

  it('shows another tenant\'s dataset and config as 404 and never lists them', async () => {
    const dataset = await tenantA.uploadDataset('a-only', 'question,answer\nq,a\n');
    const config = await tenantA.request('POST', '/configs', { name: 'a-config', model: 'm', prompt_template: '{{question}}' });
    expect([dataset.status, config.status]).toEqual([201, 201]);
    for (const path of [`/datasets/${dataset.body.id}`, `/configs/${config.body.id}`, `/configs/${config.body.id}/versions`,
      `/configs/${config.body.id}/versions/1`]) {
      expect({ path, status: (await tenantB.request('GET', path)).status }).toEqual({ path, status: 404 });
      expect({ path, status: (await tenantA.request('GET', path)).status }).toEqual({ path, status: 200 });
    }
    const newVersion = await tenantB.request('POST', `/configs/${config.body.id}/versions`, { model: 'm', prompt_template: '{{question}}' });
    expect(newVersion.status).toBe(404);
    expect((await tenantB.request('GET', '/datasets')).body.items.map((d: { id: string }) => d.id)).not.toContain(dataset.body.id);
    expect((await tenantB.request('GET', '/configs')).body.items.map((c: { id: string }) => c.id)).not.toContain(config.body.id);
  });

  it('creates a key shown once, lists keys without secrets, and revoking one turns its next request into a 401', async () => {
    const created = await tenantA.request('POST', '/api-keys', { name: 'ci' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^ys_live_[a-z0-9]{8}_/);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
    const ci = new ApiClient(gateway.baseUrl, created.body.key);
    expect((await ci.request('GET', '/projects/current')).body).toMatchObject({ id: tenantA.projectId, name: 'alpha', organization: { name: 'org-a' } });

    const listed = await tenantA.request('GET', '/api-keys');
    const entry = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(entry).toMatchObject({ name: 'ci', prefix: created.body.prefix, revoked_at: null });
    expect(entry.last_used_at).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    expect((await tenantB.request('DELETE', `/api-keys/${created.body.id}`)).status).toBe(404);
    const revoked = await tenantA.request('DELETE', `/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    expect((await ci.request('GET', '/datasets')).status).toBe(401);
    expect((await tenantA.request('DELETE', `/api-keys/${created.body.id}`)).body.revoked_at).toBe(revoked.body.revoked_at);
  });

  it('rejects a key request without a name with 400', async () => {
    const response = await tenantA.request('POST', '/api-keys', { name: '' });
    expect(response.status).toBe(400);
  });

  it('limits each key on its own: over the limit 429, while another key of the same project still passes', async () => {
    const limited = await gateway.client('org-a', 'alpha');
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 3; i++) statuses.push((await limited.request('GET', '/projects/current')).status);
    expect(statuses.slice(0, RATE_LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(RATE_LIMIT)).toEqual([429, 429, 429]);
    const over = await limited.request('GET', '/projects/current');
    expect(over.body.error.code).toBe('rate_limited');
    const other = await gateway.client('org-a', 'alpha');
    expect((await other.request('GET', '/projects/current')).status).toBe(200);
  });
});
