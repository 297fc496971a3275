import { Inject, Injectable } from '@nestjs/common';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { BLOB_STORE, BlobNotFoundError, BlobStore, putStreamed } from '@yardstick/blob-store';
import { BusPublisher, OnSubject } from '@yardstick/bus';
import { Consumers, decodeFloat32Base64, ScoredPageItem, ScorePageCommand, ScorePageItem, Subjects } from '@yardstick/contracts';
import { scoredFields, stageErrorOf } from './scored-item';
import { ScoringService } from './scoring.service';

/** Items of a page scored at once: the llm_judge's calls overlap, the other scorers are CPU work. */
const ITEMS_AT_ONCE = 32;

/**
 * Scores a page of items (batch mode) and answers with one PageScored: the inputs are read from a blob line by line and
 * every item's outcome (ItemScored's fields, or the StageError that kept it from being scored) is written to the results
 * blob. Idempotent: scores are deterministic (a judge's answer is replayed from llm-caller's cache), the results blob
 * is rewritten whole and the event's message id is the page's, so a redelivery changes nothing.
 */
@Injectable()
export class ScorePageHandler {
  constructor(
    private readonly scoring: ScoringService,
    private readonly publisher: BusPublisher,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  @OnSubject(Consumers.ScorerScorePage, { concurrency: 4 })
  async scorePage(command: ScorePageCommand): Promise<void> {
    let input: Readable;
    try {
      input = await this.blobs.getStream(command.inputBlobKey);
    } catch (error) {
      // The orchestrator deletes a page's blobs once its results are recorded: this is a late redelivery.
      if (error instanceof BlobNotFoundError) return;
      throw error;
    }
    // The input is read as the results are written; it is closed however that ends.
    const itemCount = await putStreamed(this.blobs, command.resultsBlobKey, async (write) => {
      let scored = 0;
      const pending = new Set<Promise<void>>();
      let failure: unknown = null;
      for await (const line of createInterface({ input, crlfDelay: Infinity })) {
        if (failure) break;
        if (!line.trim()) continue;
        const item = JSON.parse(line) as ScorePageItem;
        const scoring: Promise<void> = this.scoreOne(command, item).then(async (result) => {
          scored += 1;
          await write(`${JSON.stringify(result)}\n`);
        }).catch((error: unknown) => {
          failure ??= error;
        }).finally(() => pending.delete(scoring));
        pending.add(scoring);
        if (pending.size >= ITEMS_AT_ONCE) await Promise.race(pending);
      }
      await Promise.all(pending);
      if (failure) throw failure;
      return scored;
    }, { contentType: 'application/x-ndjson' }).finally(() => input.destroy());
    await this.publisher.publish(Subjects.PageScored, {
      runId: command.runId, projectId: command.projectId, pageId: command.pageId,
      inputBlobKey: command.inputBlobKey, resultsBlobKey: command.resultsBlobKey, itemCount,
    }, { messageId: `score-page:${command.pageId}:scored`, correlationId: command.runId });
  }

  /** An item's line of the results; an error other than a StageError (a bug, a lost connection) fails the whole page. */
  private async scoreOne(command: ScorePageCommand, item: ScorePageItem): Promise<ScoredPageItem> {
    const ref = { itemId: item.itemId, attempt: item.attempt };
    try {
      const scored = await this.scoring.score({
        runId: command.runId, projectId: command.projectId, itemId: item.itemId, attempt: item.attempt,
        scorers: command.scorers, cacheMode: command.cacheMode, question: item.question,
        output: item.output, groundTruth: item.groundTruth,
        outputEmbedding: item.outputEmbedding === undefined ? undefined : float32Values(item.outputEmbedding),
        groundTruthEmbedding: item.groundTruthEmbedding === undefined ? undefined : float32Values(item.groundTruthEmbedding),
      });
      return { ...ref, ...scoredFields(scored) };
    } catch (error) {
      const failure = stageErrorOf(error);
      if (!failure) throw error;
      return { ...ref, results: [], failure };
    }
  }
}

/** A page's vector as the numbers the scorers take. */
function float32Values(base64: string): number[] {
  return Array.from(decodeFloat32Base64(base64));
}
