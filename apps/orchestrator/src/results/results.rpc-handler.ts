import { Injectable } from '@nestjs/common';
import { OnRequest } from '@yardstick/bus';
import {
  CompareRunsRequest, ExportPage, ExportQuestionsPage, ExportRunItemsRequest, GetRunRequest, RecordedHumanScore, RecordHumanScoreRequest, RpcSubjects,
  RunAggregatesView, RunComparisonView,
} from '@yardstick/contracts';
import { HumanScoresRepository } from './human-scores.repository';
import { RunComparisonService } from './run-comparison.service';
import { RunExportRepository } from './run-export.repository';
import { RunQuestionExportRepository } from './run-question-export.repository';
import { RunResultsAggregatesRepository } from './run-results-aggregates.repository';

/** The gateway's questions about run results: aggregates, human scores, comparisons, export pages. */
@Injectable()
export class ResultsRpcHandler {
  constructor(
    private readonly aggregates: RunResultsAggregatesRepository,
    private readonly humanScores: HumanScoresRepository,
    private readonly comparison: RunComparisonService,
    private readonly exports: RunExportRepository,
    private readonly questionExports: RunQuestionExportRepository,
  ) {}

  @OnRequest(RpcSubjects.RunAggregates)
  runAggregates(request: GetRunRequest): Promise<RunAggregatesView> {
    return this.aggregates.aggregates(request.projectId, request.runId);
  }

  @OnRequest(RpcSubjects.RecordHumanScore)
  recordHumanScore(request: RecordHumanScoreRequest): Promise<RecordedHumanScore> {
    return this.humanScores.record(request);
  }

  @OnRequest(RpcSubjects.CompareRuns)
  compareRuns(request: CompareRunsRequest): Promise<RunComparisonView> {
    return this.comparison.compare(request);
  }

  @OnRequest(RpcSubjects.ExportRunItems)
  exportRunItems(request: ExportRunItemsRequest): Promise<ExportPage> {
    return this.exports.page(request);
  }

  @OnRequest(RpcSubjects.ExportRunQuestions)
  exportRunQuestions(request: ExportRunItemsRequest): Promise<ExportQuestionsPage> {
    return this.questionExports.page(request);
  }
}
