import { Injectable } from '@nestjs/common';
import { OnRequest } from '@yardstick/bus';
import {
  CancelledStageBatchView, CollectedStageBatchView, CollectStageBatchRequest, ProviderBatchView, RpcSubjects, StageBatchRequest,
  SubmitStageBatchRequest, SubmittedStageBatchView,
} from '@yardstick/contracts';
import { ProviderBatchesService } from './provider-batches.service';

/** The orchestrator's batch poller drives these; each is safe to repeat (submit finds a batch it already created). */
@Injectable()
export class BatchesRpcHandler {
  constructor(private readonly batches: ProviderBatchesService) {}

  @OnRequest(RpcSubjects.SubmitStageBatch)
  submit(request: SubmitStageBatchRequest): Promise<SubmittedStageBatchView> {
    return this.batches.submit(request);
  }

  @OnRequest(RpcSubjects.PollStageBatch)
  poll(request: StageBatchRequest): Promise<ProviderBatchView> {
    return this.batches.poll(request);
  }

  @OnRequest(RpcSubjects.CollectStageBatch)
  collect(request: CollectStageBatchRequest): Promise<CollectedStageBatchView> {
    return this.batches.collect(request);
  }

  @OnRequest(RpcSubjects.CancelStageBatch)
  cancel(request: StageBatchRequest): Promise<CancelledStageBatchView> {
    return this.batches.cancel(request);
  }
}
