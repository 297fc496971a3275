import 'reflect-metadata';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment, runMain } from '@yardstick/service-runtime';
import { GatewayEnv } from './config/gateway.env';
import { gatewayPersistence } from './gateway.persistence';

runMain('gateway-migrate', async () => {
  const applied = await runMigrations(gatewayPersistence(loadEnvironment(GatewayEnv)));
  console.log(`gateway: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`);
});
