import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { PersistenceModule } from '@yardstick/persistence';
import { HealthModule, loadEnvironment, runMain } from '@yardstick/service-runtime';
import { GatewayEnv } from './config/gateway.env';
import { gatewayPersistence } from './gateway.persistence';
import { TenancyRepository } from './tenancy/tenancy.repository';
import { TenancyService } from './tenancy/tenancy.service';

const USAGE = `usage: admin create-key --organization <name> --project <name> [--name <key name>]
  Creates the organization and the project when they do not exist, and a new API key for the project.
  Prints JSON with the key: it is shown only here.`;

@Module({})
class AdminModule {}

runMain('gateway-admin', async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { organization: { type: 'string' }, project: { type: 'string' }, name: { type: 'string', default: 'admin' } },
  });
  if (positionals[0] !== 'create-key' || !values.organization?.trim() || !values.project?.trim()) {
    console.error(USAGE);
    process.exit(2);
  }
  const env = loadEnvironment(GatewayEnv);
  const app = await NestFactory.createApplicationContext({
    module: AdminModule,
    imports: [HealthModule, PersistenceModule.forRoot(gatewayPersistence(env))],
    providers: [TenancyRepository, TenancyService],
  }, { logger: ['error'] });
  try {
    const created = await app.get(TenancyService).createKeyForProject(values.organization.trim(), values.project.trim(), values.name!);
    console.log(JSON.stringify({
      organization_id: created.organizationId, project_id: created.entity.projectId, key_id: created.entity.id, api_key: created.key,
    }));
  } finally {
    await app.close();
  }
});
