import { ModelParams } from '@yardstick/contracts';
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
    params: presentParams(version.params),
    pipeline: version.pipeline?.map((stage) => ({
      name: stage.name, model: stage.model, instructions: stage.instructions ?? null, prompt_template: stage.promptTemplate,
      params: presentParams(stage.params),
    })) ?? null,
    embedding_model: version.embeddingModel,
    provider_endpoint_id: version.providerEndpointId,
    experiment_config_id: version.experimentConfigId ?? null,
    created_at: config.createdAt.toISOString(),
    version_created_at: version.createdAt.toISOString(),
  };
}

function presentParams(params: ModelParams) {
  return { temperature: params.temperature ?? null, top_p: params.topP ?? null, max_output_tokens: params.maxOutputTokens ?? null, seed: params.seed ?? null };
}
