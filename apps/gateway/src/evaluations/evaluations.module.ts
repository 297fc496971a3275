import { Module } from '@nestjs/common';
import { ConfigsModule } from '../configs/configs.module';
import { DatasetsModule } from '../datasets/datasets.module';
import { EvaluationExportService } from './evaluation-export.service';
import { EvaluationResultsController } from './evaluation-results.controller';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsService } from './evaluations.service';

@Module({
  imports: [DatasetsModule, ConfigsModule],
  // Results first: its `compare` route must be matched before the `:id` routes.
  controllers: [EvaluationResultsController, EvaluationsController],
  providers: [EvaluationsService, EvaluationExportService],
})
export class EvaluationsModule {}
