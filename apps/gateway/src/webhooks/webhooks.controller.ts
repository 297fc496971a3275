import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BusRpcClient } from '@yardstick/bus';
import { RpcSubjects } from '@yardstick/contracts';
import { PageQuery } from '../api/page.query';
import { GatewayEnv } from '../config/gateway.env';
import { CurrentProject } from '../tenancy/project.resolver';
import { CreateWebhookBody } from './dto/create-webhook.body';
import { ListDeliveriesQuery } from './dto/list-deliveries.query';
import { RedeliverRangeBody } from './dto/redeliver-range.body';
import { presentDelivery, presentWebhook, presentWebhookSecret } from './webhook.presenter';

/** Webhook subscriptions and their delivery log live in webhook-dispatcher; the gateway validates and forwards. */
@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly rpc: BusRpcClient,
    private readonly env: GatewayEnv,
  ) {}

  /** Answers with the signing secret, shown this once. */
  @Post()
  async create(@CurrentProject() projectId: string, @Body() body: CreateWebhookBody) {
    const created = await this.rpc.request(RpcSubjects.CreateWebhook, { projectId, url: body.url, events: body.events }, this.env.RPC_TIMEOUT_MS);
    return presentWebhookSecret(created);
  }

  @Get()
  async list(@CurrentProject() projectId: string, @Query() page: PageQuery) {
    const result = await this.rpc.request(RpcSubjects.ListWebhooks, { projectId, limit: page.limit, offset: page.offset }, this.env.RPC_TIMEOUT_MS);
    return { ...result, items: result.items.map(presentWebhook) };
  }

  @Get(':id')
  async get(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) webhookId: string) {
    return presentWebhook(await this.rpc.request(RpcSubjects.GetWebhook, { projectId, webhookId }, this.env.RPC_TIMEOUT_MS));
  }

  /** Removes the subscription and its delivery log; nothing more is sent to it. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) webhookId: string): Promise<void> {
    await this.rpc.request(RpcSubjects.DeleteWebhook, { projectId, webhookId }, this.env.RPC_TIMEOUT_MS);
  }

  /** Turns a disabled subscription (endpoint gone, failing too long) back on for new events; redeliver to resend old ones. */
  @Post(':id/enable')
  @HttpCode(200)
  async enable(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) webhookId: string) {
    return presentWebhook(await this.rpc.request(RpcSubjects.EnableWebhook, { projectId, webhookId }, this.env.RPC_TIMEOUT_MS));
  }

  /** A new secret, shown this once; the previous one keeps signing alongside it until previous_secret_expires_at. */
  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotateSecret(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) webhookId: string) {
    return presentWebhookSecret(await this.rpc.request(RpcSubjects.RotateWebhookSecret, { projectId, webhookId }, this.env.RPC_TIMEOUT_MS));
  }

  /** The delivery log, newest first, each delivery with its attempts. */
  @Get(':id/deliveries')
  async deliveries(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) webhookId: string, @Query() query: ListDeliveriesQuery) {
    const result = await this.rpc.request(RpcSubjects.ListWebhookDeliveries, {
      projectId, webhookId, status: query.status, eventType: query.event_type, limit: query.limit, offset: query.offset,
    }, this.env.RPC_TIMEOUT_MS);
    return { ...result, items: result.items.map(presentDelivery) };
  }

  /** Sends one delivery again, same webhook-id, on a fresh retry schedule. */
  @Post(':id/deliveries/:delivery_id/redeliver')
  @HttpCode(202)
  async redeliver(
    @CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) webhookId: string, @Param('delivery_id', ParseUUIDPipe) deliveryId: string,
  ) {
    return presentDelivery(await this.rpc.request(RpcSubjects.RedeliverWebhookDelivery, { projectId, webhookId, deliveryId }, this.env.RPC_TIMEOUT_MS));
  }

  /** Sends again every failed delivery created in [from, to). */
  @Post(':id/redeliver')
  @HttpCode(202)
  redeliverRange(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) webhookId: string, @Body() body: RedeliverRangeBody) {
    return this.rpc.request(RpcSubjects.RedeliverWebhookRange, { projectId, webhookId, from: body.from, to: body.to }, this.env.RPC_TIMEOUT_MS);
  }
}
