import { Module } from '@nestjs/common';
import { ConfigsModule } from '../configs/configs.module';
import { DatasetsModule } from '../datasets/datasets.module';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsService } from './evaluations.service';

@Module({
  imports: [DatasetsModule, ConfigsModule],
  controllers: [EvaluationsController],
  providers: [EvaluationsService],
})
export class EvaluationsModule {}
