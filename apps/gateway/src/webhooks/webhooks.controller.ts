import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BusRpcClient } from '@yardstick/bus';
import { RpcSubjects, WebhookView } from '@yardstick/contracts';
import { PageQuery } from '../api/page.query';
import { GatewayEnv } from '../config/gateway.env';
import { CurrentProject } from '../tenancy/project.resolver';
import { CreateWebhookBody } from './dto/create-webhook.body';

const present = (w: WebhookView) => ({ id: w.id, url: w.url, events: w.events, created_at: w.createdAt });

/** Webhook subscriptions live in webhook-dispatcher; the gateway validates and forwards. */
@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly rpc: BusRpcClient,
    private readonly env: GatewayEnv,
  ) {}

  @Post()
  async create(@CurrentProject() projectId: string, @Body() body: CreateWebhookBody) {
    return present(await this.rpc.request(RpcSubjects.CreateWebhook, { projectId, url: body.url, events: body.events }, this.env.RPC_TIMEOUT_MS));
  }

  @Get()
  async list(@CurrentProject() projectId: string, @Query() page: PageQuery) {
    const result = await this.rpc.request(RpcSubjects.ListWebhooks, { projectId, limit: page.limit, offset: page.offset }, this.env.RPC_TIMEOUT_MS);
    return { ...result, items: result.items.map(present) };
  }
}
