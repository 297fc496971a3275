import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { BusRpcClient } from '@yardstick/bus';
import { ModelParams, PipelineStep, RpcSubjects, ServiceErrorCode, ServiceException } from '@yardstick/contracts';
import { pipelineProblems, templateProblems } from '@yardstick/prompting';
import { ApiErrorCode, ApiException } from '../api/api.exception';
import { GatewayEnv } from '../config/gateway.env';
import { ConfigEntity } from './config.entity';
import { ConfigVersionEntity } from './config-version.entity';
import { ConfigsRepository } from './configs.repository';
import { ConfigVersionBody, CreateConfigBody, ModelParamsBody } from './dto/config-version.body';

@Injectable()
export class ConfigsService {
  constructor(
    private readonly configs: ConfigsRepository,
    private readonly env: GatewayEnv,
    private readonly rpc: BusRpcClient,
  ) {}

  async create(projectId: string, body: CreateConfigBody): Promise<{ config: ConfigEntity; version: ConfigVersionEntity }> {
    this.assertPrompts(body);
    await this.assertEndpoint(projectId, body.provider_endpoint_id);
    return this.configs.transaction(async (manager) => {
      const config = manager.create(ConfigEntity, { id: randomUUID(), projectId, name: body.name, latestVersion: 1 });
      await manager.insert(ConfigEntity, config);
      const version = await this.insertVersion(manager, config, 1, body);
      return { config: await manager.findOneByOrFail(ConfigEntity, { id: config.id }), version };
    });
  }

  /** The next version number is taken under a row lock on the config, so concurrent requests get 2 and 3, never 2 twice. */
  async addVersion(projectId: string, configId: string, body: ConfigVersionBody) {
    this.assertPrompts(body);
    await this.assertEndpoint(projectId, body.provider_endpoint_id);
    return this.configs.transaction(async (manager) => {
      const config = await this.configs.findConfig(projectId, configId, manager, true);
      if (!config) throw ApiException.notFound('config', configId);
      config.latestVersion += 1;
      await manager.update(ConfigEntity, { id: config.id }, { latestVersion: config.latestVersion });
      const version = await this.insertVersion(manager, config, config.latestVersion, body);
      return { config, version };
    });
  }

  async get(projectId: string, configId: string, versionNumber?: number) {
    const config = await this.configs.findConfig(projectId, configId);
    if (!config) throw ApiException.notFound('config', configId);
    const version = await this.configs.findVersion(projectId, configId, versionNumber ?? config.latestVersion);
    if (!version) throw ApiException.notFound(`version of config ${configId}:`, versionNumber ?? config.latestVersion);
    return { config, version };
  }

  /** The endpoint must exist in the project (llm-caller owns endpoints). */
  private async assertEndpoint(projectId: string, providerId: string | undefined): Promise<void> {
    if (!providerId) return;
    try {
      await this.rpc.request(RpcSubjects.GetProvider, { projectId, providerId }, this.env.RPC_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof ServiceException && error.code === ServiceErrorCode.NotFound) {
        throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, ApiErrorCode.ValidationFailed, `provider endpoint ${providerId} not found`, {
          problems: ['provider_endpoint_id: no such provider endpoint in this project'],
        });
      }
      throw error;
    }
  }

  /** Every template is parsed and test-rendered now, so a run never meets a broken template or an unknown variable. */
  private assertPrompts(body: ConfigVersionBody): void {
    const problems = body.pipeline ? this.pipelineBodyProblems(body) : templateProblems(body.prompt_template ?? '').map((p) => `prompt_template: ${p}`);
    if (problems.length) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ApiErrorCode.ValidationFailed, `invalid ${problems[0]}`, { problems });
    }
  }

  private pipelineBodyProblems(body: ConfigVersionBody): string[] {
    const stages = body.pipeline ?? [];
    const problems: string[] = [];
    if (body.prompt_template !== undefined) problems.push('prompt_template: not allowed with pipeline (each stage has its own)');
    stages.forEach((stage, i) => {
      if (!stage.model && !body.model) problems.push(`pipeline[${i}] (${stage.name}).model: required when the version has no model`);
    });
    return [...problems, ...pipelineProblems(stages.map((stage) => ({ name: stage.name, promptTemplate: stage.prompt_template })))];
  }

  /** The stages as runs use them: version-level model, instructions and params are the defaults of each stage. */
  private resolvePipeline(body: ConfigVersionBody): PipelineStep[] | null {
    if (!body.pipeline) return null;
    return body.pipeline.map((stage) => ({
      name: stage.name,
      model: (stage.model ?? body.model) as string,
      instructions: stage.instructions ?? body.instructions,
      promptTemplate: stage.prompt_template,
      params: modelParams(stage.params ?? body.params),
    }));
  }

  private async insertVersion(manager: EntityManager, config: ConfigEntity, version: number, body: ConfigVersionBody) {
    const pipeline = this.resolvePipeline(body);
    const entity = manager.create(ConfigVersionEntity, {
      configId: config.id,
      version,
      projectId: config.projectId,
      // A pipeline's scored output comes from its last stage: that stage's model is the version's.
      model: pipeline ? pipeline[pipeline.length - 1].model : body.model,
      instructions: body.instructions ?? null,
      promptTemplate: body.prompt_template ?? null,
      pipeline,
      params: modelParams(body.params),
      embeddingModel: body.embedding_model ?? this.env.DEFAULT_EMBEDDING_MODEL,
      providerEndpointId: body.provider_endpoint_id ?? null,
    });
    await manager.insert(ConfigVersionEntity, entity);
    return manager.findOneByOrFail(ConfigVersionEntity, { configId: config.id, version });
  }
}

function modelParams(params: ModelParamsBody | undefined): ModelParams {
  return { temperature: params?.temperature, topP: params?.top_p, maxOutputTokens: params?.max_output_tokens, seed: params?.seed };
}
