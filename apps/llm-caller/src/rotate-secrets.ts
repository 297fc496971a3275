import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@yardstick/persistence';
import { SecretBox } from '@yardstick/secrets';
import { loadEnvironment, runMain } from '@yardstick/service-runtime';
import { LlmCallerEnv } from './config/llm-caller.env';
import { llmCallerPersistence } from './llm-caller.persistence';
import { ProviderEndpointsRepository } from './providers/provider-endpoints.repository';

/**
 * Key rotation: re-seals every stored provider key under SECRET_ACTIVE_KEY_ID. Add the new key to SECRET_KEYS and
 * make it active, run this, then remove the old key. Safe to run again; prints counts, never keys.
 */
runMain('rotate-secrets', async () => {
  const env = loadEnvironment(LlmCallerEnv);
  const secrets = SecretBox.fromEnv({ SECRET_KEYS: env.SECRET_KEYS, SECRET_ACTIVE_KEY_ID: env.SECRET_ACTIVE_KEY_ID });
  const dataSource = await new DataSource(dataSourceOptions(llmCallerPersistence(env))).initialize();
  try {
    const endpoints = new ProviderEndpointsRepository(dataSource);
    let resealed = 0;
    const stored = await endpoints.sealedKeys();
    for (const { id, apiKeySealed } of stored) {
      if (SecretBox.keyIdOf(apiKeySealed) === secrets.currentKeyId) continue;
      if (await endpoints.replaceSealedKey(id, apiKeySealed, secrets.seal(secrets.open(apiKeySealed)))) resealed += 1;
    }
    console.log(`rotate-secrets: ${resealed} of ${stored.length} keys re-sealed under "${secrets.currentKeyId}"`);
  } finally {
    await dataSource.destroy();
  }
});
