import 'reflect-metadata';
import { loadEnvironment, runMain, startService } from '@yardstick/service-runtime';
import { AppModule } from './app.module';
import { OrchestratorEnv } from './config/orchestrator.env';

runMain('orchestrator', async () => {
  const env = loadEnvironment(OrchestratorEnv);
  await startService({ name: 'orchestrator', module: AppModule.register(env), host: env.HOST, port: env.PORT });
});
