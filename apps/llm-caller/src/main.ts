import 'reflect-metadata';
import { loadEnvironment, runMain, startService } from '@yardstick/service-runtime';
import { AppModule } from './app.module';
import { LlmCallerEnv } from './config/llm-caller.env';

runMain('llm-caller', async () => {
  const env = loadEnvironment(LlmCallerEnv);
  await startService({ name: 'llm-caller', module: AppModule.register(env), host: env.HOST, port: env.PORT });
});
