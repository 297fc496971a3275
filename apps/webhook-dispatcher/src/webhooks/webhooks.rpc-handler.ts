import { Injectable } from '@nestjs/common';
import { OnRequest } from '@yardstick/bus';
import { CreateWebhookRequest, ListWebhooksRequest, Page, RpcSubjects, WebhookView } from '@yardstick/contracts';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';

/** The gateway's webhook requests, answered over request/reply. */
@Injectable()
export class WebhooksRpcHandler {
  constructor(private readonly subscriptions: WebhookSubscriptionsRepository) {}

  @OnRequest(RpcSubjects.CreateWebhook)
  createWebhook(request: CreateWebhookRequest): Promise<WebhookView> {
    return this.subscriptions.create(request);
  }

  @OnRequest(RpcSubjects.ListWebhooks)
  listWebhooks(request: ListWebhooksRequest): Promise<Page<WebhookView>> {
    return this.subscriptions.list(request);
  }
}
