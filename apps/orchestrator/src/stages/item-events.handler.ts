import { Injectable } from '@nestjs/common';
import { OnSubject } from '@yardstick/bus';
import { Consumers, EmbeddingsComputedEvent, ItemScoredEvent, ItemStageFailedEvent, PageScoredEvent, ResponseGeneratedEvent } from '@yardstick/contracts';
import { ItemProgressService } from './item-progress.service';
import { ScoredPageRecorder } from './scored-page.recorder';

/** Results from llm-caller and scorer: validated by the bus, recorded by ItemProgressService, acked after commit. */
@Injectable()
export class ItemEventsHandler {
  constructor(
    private readonly progress: ItemProgressService,
    private readonly pages: ScoredPageRecorder,
  ) {}

  @OnSubject(Consumers.OrchestratorResponseGenerated)
  onResponseGenerated(event: ResponseGeneratedEvent): Promise<void> {
    return this.progress.recordResponse(event);
  }

  @OnSubject(Consumers.OrchestratorEmbeddingsComputed)
  onEmbeddingsComputed(event: EmbeddingsComputedEvent): Promise<void> {
    return this.progress.recordEmbeddings(event);
  }

  @OnSubject(Consumers.OrchestratorItemScored)
  onItemScored(event: ItemScoredEvent): Promise<void> {
    return this.progress.recordScores(event);
  }

  @OnSubject(Consumers.OrchestratorPageScored, { concurrency: 4 })
  onPageScored(event: PageScoredEvent): Promise<void> {
    return this.pages.record(event);
  }

  @OnSubject(Consumers.OrchestratorItemStageFailed)
  onItemStageFailed(event: ItemStageFailedEvent): Promise<void> {
    return this.progress.recordFailure(event);
  }
}
