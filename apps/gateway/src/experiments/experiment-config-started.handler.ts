import { Injectable } from '@nestjs/common';
import { OnSubject, PermanentHandlerError } from '@yardstick/bus';
import { Consumers, ExperimentConfigStartedEvent } from '@yardstick/contracts';
import { SavedConfigMissingError, SavedConfigsService } from './saved-configs.service';

/** eval.experiment.config_started: saves the sampled config as a version; acked once the version is committed. */
@Injectable()
export class ExperimentConfigStartedHandler {
  constructor(private readonly saved: SavedConfigsService) {}

  @OnSubject(Consumers.GatewayExperimentConfigStarted, { concurrency: 4 })
  async onConfigStarted(event: ExperimentConfigStartedEvent): Promise<void> {
    try {
      await this.saved.saveSampled(event);
    } catch (error) {
      if (error instanceof SavedConfigMissingError) throw new PermanentHandlerError(error.message);
      throw error;
    }
  }
}
