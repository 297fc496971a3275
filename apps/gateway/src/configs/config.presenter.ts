import { ConfigEntity } from './config.entity';
import { ConfigVersionEntity } from './config-version.entity';

export function presentConfigVersion(config: ConfigEntity, version: ConfigVersionEntity) {
  return {
    id: config.id,
    name: config.name,
    version: version.version,
    latest_version: config.latestVersion,
    model: version.model,
    instructions: version.instructions,
    prompt_template: version.promptTemplate,
    params: {
      temperature: version.params.temperature ?? null,
      top_p: version.params.topP ?? null,
      max_output_tokens: version.params.maxOutputTokens ?? null,
      seed: version.params.seed ?? null,
    },
    embedding_model: version.embeddingModel,
    provider_endpoint_id: version.providerEndpointId,
    created_at: config.createdAt.toISOString(),
    version_created_at: version.createdAt.toISOString(),
  };
}
