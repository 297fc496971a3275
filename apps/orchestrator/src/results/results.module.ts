import { Module } from '@nestjs/common';
import { HumanScoresRepository } from './human-scores.repository';
import { ResultsRpcHandler } from './results.rpc-handler';
import { RunComparisonRepository } from './run-comparison.repository';
import { RunComparisonService } from './run-comparison.service';
import { RunExportRepository } from './run-export.repository';
import { RunQuestionExportRepository } from './run-question-export.repository';
import { RunResultsAggregatesRepository } from './run-results-aggregates.repository';

/** Run results beyond the run view: aggregates, human scores, comparison of two runs, export. */
@Module({
  providers: [HumanScoresRepository, RunResultsAggregatesRepository, RunComparisonRepository, RunComparisonService, RunExportRepository, RunQuestionExportRepository,
    ResultsRpcHandler],
})
export class ResultsModule {}
