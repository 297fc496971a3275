import { Inject, Injectable, Logger } from '@nestjs/common';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { BLOB_STORE, BlobNotFoundError, BlobStore } from '@yardstick/blob-store';
import { PageScoredEvent, ScoredPageItem, Stage } from '@yardstick/contracts';
import { RunLiveEvents } from '../live/run-live-events';
import { RunFinalizer } from '../runs/run-finalizer';
import { BulkScores, ItemResultsRepository } from './item-results.repository';
import { ItemProgressService } from './item-progress.service';
import { RunScorersCache } from './run-scorers.cache';
import { scoredItemRecord } from './scored-item';

/**
 * Records a scored page (batch mode's scoring, see WorkDispatcher.publishScorePages): every scored item in one statement,
 * items that could not be scored through the fast path's failure handling, then deletes the page's blobs. Recording again
 * changes nothing (each item only moves an in-flight scoring row); once the blobs are gone, a redelivery has nothing to do.
 */
@Injectable()
export class ScoredPageRecorder {
  private readonly logger = new Logger(ScoredPageRecorder.name);

  constructor(
    private readonly results: ItemResultsRepository,
    private readonly scorers: RunScorersCache,
    private readonly progress: ItemProgressService,
    private readonly live: RunLiveEvents,
    private readonly finalizer: RunFinalizer,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async record(event: PageScoredEvent): Promise<void> {
    let lines: ScoredPageItem[];
    try {
      lines = await this.readLines(event.resultsBlobKey);
    } catch (error) {
      if (error instanceof BlobNotFoundError) return;
      throw error;
    }
    const scorers = await this.scorers.get(event.runId);
    const scored: BulkScores[] = [];
    const warnings = new Set<string>();
    for (const line of lines) {
      for (const warning of line.warnings ?? []) warnings.add(warning);
      if (!line.failure) {
        scored.push(scoredItemRecord(scorers, line));
        continue;
      }
      await this.progress.recordFailure({
        runId: event.runId, projectId: event.projectId, itemId: line.itemId, attempt: line.attempt, stage: Stage.Scoring, error: line.failure,
      });
    }
    if (warnings.size) await this.results.addRunWarnings(event.runId, [...warnings]);
    const recorded = await this.results.recordScoresPage(scored);
    for (const { runId, itemId, score } of recorded) this.live.itemFinished(runId, itemId, 'succeeded', score);
    await this.finalizer.check(event.runId, false);
    await Promise.all([event.inputBlobKey, event.resultsBlobKey].map((key) => this.blobs.delete(key).catch((error: Error) => {
      this.logger.warn(`score page ${event.pageId}: ${key} not deleted: ${error.message}`);
    })));
  }

  /** A page is at most one recording page of items (1,000), so its results are read whole. */
  private async readLines(key: string): Promise<ScoredPageItem[]> {
    const lines: ScoredPageItem[] = [];
    for await (const line of createInterface({ input: (await this.blobs.getStream(key)) as Readable, crlfDelay: Infinity })) {
      if (line.trim()) lines.push(JSON.parse(line) as ScoredPageItem);
    }
    return lines;
  }
}
