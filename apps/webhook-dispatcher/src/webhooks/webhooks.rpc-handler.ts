import { Injectable } from '@nestjs/common';
import { OnRequest } from '@yardstick/bus';
import {
  CreateWebhookRequest, ListWebhookDeliveriesRequest, ListWebhooksRequest, Page, RedeliverWebhookDeliveryRequest, RedeliverWebhookRangeRequest,
  RpcSubjects, WebhookDeliveryView, WebhookRequest, WebhookSecretView, WebhookView,
} from '@yardstick/contracts';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

/** The gateway's webhook requests, answered over request/reply. */
@Injectable()
export class WebhooksRpcHandler {
  constructor(private readonly subscriptions: WebhookSubscriptionsService) {}

  @OnRequest(RpcSubjects.CreateWebhook)
  createWebhook(request: CreateWebhookRequest): Promise<WebhookSecretView> {
    return this.subscriptions.create(request);
  }

  @OnRequest(RpcSubjects.ListWebhooks)
  listWebhooks(request: ListWebhooksRequest): Promise<Page<WebhookView>> {
    return this.subscriptions.list(request.projectId, request.limit, request.offset);
  }

  @OnRequest(RpcSubjects.GetWebhook)
  getWebhook(request: WebhookRequest): Promise<WebhookView> {
    return this.subscriptions.get(request);
  }

  @OnRequest(RpcSubjects.DeleteWebhook)
  deleteWebhook(request: WebhookRequest): Promise<{ deleted: true }> {
    return this.subscriptions.delete(request);
  }

  @OnRequest(RpcSubjects.EnableWebhook)
  enableWebhook(request: WebhookRequest): Promise<WebhookView> {
    return this.subscriptions.enable(request);
  }

  @OnRequest(RpcSubjects.RotateWebhookSecret)
  rotateSecret(request: WebhookRequest): Promise<WebhookSecretView> {
    return this.subscriptions.rotateSecret(request);
  }

  @OnRequest(RpcSubjects.ListWebhookDeliveries)
  listDeliveries(request: ListWebhookDeliveriesRequest): Promise<Page<WebhookDeliveryView>> {
    return this.subscriptions.listDeliveries(request);
  }

  @OnRequest(RpcSubjects.RedeliverWebhookDelivery)
  redeliver(request: RedeliverWebhookDeliveryRequest): Promise<WebhookDeliveryView> {
    return this.subscriptions.redeliver(request);
  }

  @OnRequest(RpcSubjects.RedeliverWebhookRange)
  redeliverRange(request: RedeliverWebhookRangeRequest): Promise<{ redelivered: number }> {
    return this.subscriptions.redeliverRange(request);
  }
}
