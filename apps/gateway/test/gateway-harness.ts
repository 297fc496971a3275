import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BusConnection } from '@yardstick/bus';
import { Streams } from '@yardstick/contracts';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment } from '@yardstick/service-runtime';
import { ApiClient, uniqueTestId } from '@yardstick/testing';
import { AppModule } from '../src/app.module';
import { GatewayEnv } from '../src/config/gateway.env';
import { configureHttp } from '../src/configure-http';
import { gatewayPersistence } from '../src/gateway.persistence';
import { TenancyService } from '../src/tenancy/tenancy.service';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The gateway in-process on a free port, in its own schema, bus prefix and Redis prefix; no other service runs. */
export class GatewayHarness {
  readonly id = uniqueTestId('gw');
  readonly blobRoot = mkdtempSync(join(tmpdir(), `${this.id}-`));
  app!: INestApplication;
  baseUrl = '';

  async start(env: Record<string, string> = {}): Promise<this> {
    process.env.BLOB_FS_ROOT = this.blobRoot;
    const gatewayEnv = loadEnvironment(GatewayEnv, {
      DATABASE_URL, DB_SCHEMA: this.id, BUS_PREFIX: this.id, REDIS_KEY_PREFIX: this.id, PORT: '0', RPC_TIMEOUT_MS: '500',
      SECRET_KEYS: `test:${Buffer.alloc(32, 1).toString('base64')}`, ...env,
    });
    await runMigrations(gatewayPersistence(gatewayEnv));
    this.app = await NestFactory.create(AppModule.register(gatewayEnv), { logger: false });
    configureHttp(this.app);
    await this.app.listen(0, '127.0.0.1');
    this.baseUrl = `${await this.app.getUrl()}/api/v1`.replace('[::1]', '127.0.0.1');
    return this;
  }

  /** An API client with a new key of the project (organization and project created when missing). */
  async client(organization = 'org-a', project = 'default'): Promise<ApiClient & { projectId: string }> {
    const created = await this.app.get(TenancyService).createKeyForProject(organization, project, 'test');
    return Object.assign(new ApiClient(this.baseUrl, created.key), { projectId: created.entity.projectId });
  }

  async stop(): Promise<void> {
    const bus = this.app.get(BusConnection);
    for (const stream of Object.values(Streams)) await bus.jsm.streams.delete(bus.names.stream(stream)).catch(() => undefined);
    await this.app.close();
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${this.id}" CASCADE`);
    await client.end();
  }
}
