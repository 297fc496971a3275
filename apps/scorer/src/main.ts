import 'reflect-metadata';
import { loadEnvironment, runMain, startService } from '@yardstick/service-runtime';
import { AppModule } from './app.module';
import { ScorerEnv } from './config/scorer.env';

runMain('scorer', async () => {
  const env = loadEnvironment(ScorerEnv);
  await startService({ name: 'scorer', module: AppModule.register(env), host: env.HOST, port: env.PORT });
});
