import 'reflect-metadata';
import { loadEnvironment, runMain, startService } from '@yardstick/service-runtime';
import { AppModule } from './app.module';
import { GatewayEnv } from './config/gateway.env';
import { configureHttp } from './configure-http';

runMain('gateway', async () => {
  const env = loadEnvironment(GatewayEnv);
  await startService({ name: 'gateway', module: AppModule.register(env), host: env.HOST, port: env.PORT, configure: configureHttp });
});
