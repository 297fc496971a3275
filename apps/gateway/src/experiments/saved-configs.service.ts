import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ExperimentConfigStartedEvent, RunConfigSnapshot } from '@yardstick/contracts';
import { ConfigEntity } from '../configs/config.entity';
import { ConfigVersionEntity } from '../configs/config-version.entity';
import { ConfigsRepository } from '../configs/configs.repository';

/** The config version an experiment config was saved as. */
export interface SavedConfigRef {
  configId: string;
  version: number;
}

/** The experiment's saved config is gone or belongs to another project: the event can never be applied. */
export class SavedConfigMissingError extends Error {}

/**
 * Every experiment gets a config named `experiment: <name>` (version 1 = the base config); each sampled config
 * becomes one more version of it, once, when eval.experiment.config_started arrives.
 */
@Injectable()
export class SavedConfigsService {
  constructor(private readonly configs: ConfigsRepository) {}

  /**
   * Creates the experiment's config and runs `create` with its id in the same transaction: the config is kept only
   * when `create` (the orchestrator's create-experiment) succeeds. A name taken in the project gets ` (2)`, ` (3)`, …
   */
  createWith<T>(projectId: string, experimentName: string, base: ConfigVersionEntity, create: (savedConfigId: string) => Promise<T>): Promise<T> {
    return this.configs.transaction(async (manager) => create((await this.insertConfig(manager, projectId, experimentName, base)).id));
  }

  private async insertConfig(manager: EntityManager, projectId: string, experimentName: string, base: ConfigVersionEntity): Promise<ConfigEntity> {
    const name = `experiment: ${experimentName}`;
    await this.configs.lockName(manager, projectId, name);
    const taken = new Set(await this.configs.namesLike(manager, projectId, name));
    let free = name;
    for (let n = 2; taken.has(free); n += 1) free = `${name} (${n})`;
    const config = manager.create(ConfigEntity, { id: randomUUID(), projectId, name: free, latestVersion: 1 });
    await manager.insert(ConfigEntity, config);
    await manager.insert(ConfigVersionEntity, manager.create(ConfigVersionEntity, {
      configId: config.id, version: 1, projectId, model: base.model, instructions: base.instructions, promptTemplate: base.promptTemplate,
      pipeline: null, params: base.params, embeddingModel: base.embeddingModel, providerEndpointId: base.providerEndpointId, experimentConfigId: null,
    }));
    return config;
  }

  /**
   * Saves a sampled config as the next version, under the config's row lock (the same one POST /configs/{id}/versions
   * takes); a config already saved returns its version, so a redelivery adds nothing. Null for experiments without one.
   */
  async saveSampled(event: ExperimentConfigStartedEvent): Promise<ConfigVersionEntity | null> {
    const configId = event.savedConfigId;
    if (!configId) return null;
    return this.configs.transaction(async (manager) => {
      const config = await this.configs.findConfig(event.projectId, configId, manager, true);
      if (!config) throw new SavedConfigMissingError(`config ${configId} of experiment ${event.experimentId} not found in its project`);
      const existing = await this.configs.findVersionOfExperimentConfig(manager, configId, event.configId);
      if (existing) return existing;
      config.latestVersion += 1;
      await manager.update(ConfigEntity, { id: config.id }, { latestVersion: config.latestVersion });
      await manager.insert(ConfigVersionEntity, manager.create(ConfigVersionEntity, {
        ...versionFields(event.config), configId, version: config.latestVersion, projectId: event.projectId, experimentConfigId: event.configId,
      }));
      return manager.findOneByOrFail(ConfigVersionEntity, { configId, version: config.latestVersion });
    });
  }

  /** The saved versions of these experiment configs, by experiment config id (configs not saved yet are absent). */
  async lookup(projectId: string, experimentConfigIds: string[]): Promise<Map<string, SavedConfigRef>> {
    const versions = await this.configs.versionsOfExperimentConfigs(projectId, experimentConfigIds);
    return new Map(versions.map((v) => [v.experimentConfigId!, { configId: v.configId, version: v.version }]));
  }
}

/** A resolved single-stage config as version columns. */
function versionFields(config: RunConfigSnapshot) {
  return {
    model: config.model,
    instructions: config.instructions ?? null,
    promptTemplate: config.promptTemplate ?? null,
    pipeline: null,
    params: config.params ?? {},
    embeddingModel: config.embeddingModel,
    providerEndpointId: config.providerEndpointId ?? null,
  };
}
