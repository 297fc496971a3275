import { Injectable } from '@nestjs/common';
import { BusRpcClient } from '@yardstick/bus';
import { ExportPage, ExportQuestionsPage, RpcSubjects } from '@yardstick/contracts';
import { GatewayEnv } from '../config/gateway.env';
import { ExportFormat, ExportGrouping } from './dto/results.query';
import { questionCsvHeader, questionCsvRow, questionJsonLine } from './question-export.presenter';
import { exportCsvHeader, exportCsvRow, exportJsonLine } from './results.presenter';

/** Items (or questions) asked of the orchestrator per page; the orchestrator also cuts a page short to stay under NATS's message limit. */
const PAGE_ITEMS = 200;
/** A UTF-8 byte order mark: spreadsheets read the CSV's non-ASCII text correctly with it. */
const BOM = '\uFEFF';

/** A run's export as text chunks, read from the orchestrator one page at a time: never the whole run in memory. */
@Injectable()
export class EvaluationExportService {
  constructor(
    private readonly rpc: BusRpcClient,
    private readonly env: GatewayEnv,
  ) {}

  /** Reads the first page now, so an unknown run is a 404 before any byte of the response is sent. */
  async open(projectId: string, runId: string, format: ExportFormat, groupBy?: ExportGrouping): Promise<AsyncGenerator<string>> {
    if (groupBy === 'question') {
      const first = await this.questionPage(projectId, runId, -1);
      return this.questionChunks(projectId, runId, format, first);
    }
    const first = await this.page(projectId, runId, -1);
    return this.chunks(projectId, runId, format, first);
  }

  private async *chunks(projectId: string, runId: string, format: ExportFormat, first: ExportPage): AsyncGenerator<string> {
    const scorers = first.scorers;
    if (format === 'csv') yield BOM + exportCsvHeader(scorers);
    let page = first;
    for (;;) {
      yield page.items.map((item) => (format === 'csv' ? exportCsvRow(item, scorers) : exportJsonLine(item))).join('');
      if (page.nextAfterIndex === null) return;
      page = await this.page(projectId, runId, page.nextAfterIndex);
    }
  }

  private async *questionChunks(projectId: string, runId: string, format: ExportFormat, first: ExportQuestionsPage): AsyncGenerator<string> {
    const scorers = first.scorers;
    if (format === 'csv') yield BOM + questionCsvHeader(scorers);
    let page = first;
    for (;;) {
      yield page.questions.map((row) => (format === 'csv' ? questionCsvRow(row, scorers) : questionJsonLine(row))).join('');
      if (page.nextAfterIndex === null) return;
      page = await this.questionPage(projectId, runId, page.nextAfterIndex);
    }
  }

  private page(projectId: string, runId: string, afterIndex: number): Promise<ExportPage> {
    return this.rpc.request(RpcSubjects.ExportRunItems, { projectId, runId, afterIndex, limit: PAGE_ITEMS }, this.env.RPC_TIMEOUT_MS);
  }

  private questionPage(projectId: string, runId: string, afterIndex: number): Promise<ExportQuestionsPage> {
    return this.rpc.request(RpcSubjects.ExportRunQuestions, { projectId, runId, afterIndex, limit: PAGE_ITEMS }, this.env.RPC_TIMEOUT_MS);
  }
}
