import { llmSimOptionsFromEnv } from './llm-sim.env';
import { startLlmSim } from './llm-sim.server';
import { SimConfigError } from './sim-config.error';

async function main(): Promise<void> {
  let options;
  try {
    options = llmSimOptionsFromEnv(process.env);
  } catch (error) {
    if (!(error instanceof SimConfigError)) throw error;
    console.error(`llm-sim: invalid ${error.message}`);
    process.exit(1);
  }
  const sim = await startLlmSim(options);
  console.log(`llm-sim listening on ${sim.url}`);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`llm-sim: error while closing on ${signal}`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error('llm-sim: failed to start', error);
  process.exit(1);
});
