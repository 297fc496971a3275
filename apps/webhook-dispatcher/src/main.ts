import 'reflect-metadata';
import { loadEnvironment, runMain, startService } from '@yardstick/service-runtime';
import { AppModule } from './app.module';
import { WebhookDispatcherEnv } from './config/webhook-dispatcher.env';

runMain('webhook-dispatcher', async () => {
  const env = loadEnvironment(WebhookDispatcherEnv);
  await startService({ name: 'webhook-dispatcher', module: AppModule.register(env), host: env.HOST, port: env.PORT });
});
