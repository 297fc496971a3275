import { Module } from '@nestjs/common';
import { ConfigsModule } from '../configs/configs.module';
import { DatasetsModule } from '../datasets/datasets.module';
import { ExperimentsController } from './experiments.controller';
import { ExperimentConfigStartedHandler } from './experiment-config-started.handler';
import { ExperimentsService } from './experiments.service';
import { SavedConfigsService } from './saved-configs.service';

@Module({
  imports: [DatasetsModule, ConfigsModule],
  controllers: [ExperimentsController],
  providers: [ExperimentsService, SavedConfigsService, ExperimentConfigStartedHandler],
})
export class ExperimentsModule {}
