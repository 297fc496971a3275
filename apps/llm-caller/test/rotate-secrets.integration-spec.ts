import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { runMigrations } from '@yardstick/persistence';
import { SecretBox } from '@yardstick/secrets';
import { loadEnvironment } from '@yardstick/service-runtime';
import { uniqueTestId } from '@yardstick/testing';
import { LlmCallerEnv } from '../src/config/llm-caller.env';
import { llmCallerPersistence } from '../src/llm-caller.persistence';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = promisify(execFile);

describe('rotate-secrets command (real Postgres)', () => {
  const schema = uniqueTestId('rot');
  const k1 = randomBytes(32).toString('base64');
  const k2 = randomBytes(32).toString('base64');
  const client = new Client({ connectionString: DATABASE_URL });

  beforeAll(async () => {
    await runMigrations(llmCallerPersistence(loadEnvironment(LlmCallerEnv, { DATABASE_URL, DB_SCHEMA: schema, SECRET_KEYS: `k1:${k1}` })));
    await client.connect();
  });

  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('re-seals every stored key under the active key, once, without printing any key', async () => {
    const sealed = new SecretBox({ k1: Buffer.from(k1, 'base64') }, 'k1').seal('sk-rotate-me-1234');
    const id = randomUUID();
    await client.query(
      `INSERT INTO "${schema}".provider_endpoints (id, project_id, name, kind, base_url, api_key_sealed, api_key_last4)
       VALUES ($1, $2, 'p', 'openai', 'https://example.com/v1', $3, '1234')`,
      [id, randomUUID(), sealed],
    );
    const env = { ...process.env, DATABASE_URL, DB_SCHEMA: schema, SECRET_KEYS: `k1:${k1},k2:${k2}`, SECRET_ACTIVE_KEY_ID: 'k2' };
    const script = resolve(__dirname, '../dist/rotate-secrets.js');
    const first = await run(process.execPath, [script], { env });
    expect(first.stdout).toContain('1 of 1 keys re-sealed under "k2"');
    expect(first.stdout + first.stderr).not.toContain('rotate-me');

    const [{ api_key_sealed: rotated }] = (await client.query(`SELECT api_key_sealed FROM "${schema}".provider_endpoints WHERE id = $1`, [id])).rows;
    expect(SecretBox.keyIdOf(rotated)).toBe('k2');
    expect(new SecretBox({ k2: Buffer.from(k2, 'base64') }, 'k2').open(rotated)).toBe('sk-rotate-me-1234');
    expect((await run(process.execPath, [script], { env })).stdout).toContain('0 of 1 keys re-sealed');
  });
});
