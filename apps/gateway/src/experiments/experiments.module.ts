import { Module } from '@nestjs/common';
import { ConfigsModule } from '../configs/configs.module';
import { DatasetsModule } from '../datasets/datasets.module';
import { ExperimentsController } from './experiments.controller';
import { ExperimentsService } from './experiments.service';

@Module({
  imports: [DatasetsModule, ConfigsModule],
  controllers: [ExperimentsController],
  providers: [ExperimentsService],
})
export class ExperimentsModule {}
