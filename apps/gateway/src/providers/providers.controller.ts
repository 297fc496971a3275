import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BusRpcClient } from '@yardstick/bus';
import { RpcSubjects } from '@yardstick/contracts';
import { SecretBox } from '@yardstick/secrets';
import { PageQuery } from '../api/page.query';
import { GatewayEnv } from '../config/gateway.env';
import { CurrentProject } from '../tenancy/project.resolver';
import { CreateProviderBody, UpdateProviderBody } from './dto/provider.body';
import { presentProvider, toProviderFields } from './provider-body.mapper';

/** Provider endpoints live in llm-caller (which calls them); keys are sealed here before they leave the gateway. */
@ApiTags('providers')
@Controller('providers')
export class ProvidersController {
  constructor(
    private readonly rpc: BusRpcClient,
    private readonly env: GatewayEnv,
    @Inject(SecretBox) private readonly secrets: SecretBox,
  ) {}

  @Post()
  async create(@CurrentProject() projectId: string, @Body() body: CreateProviderBody) {
    const fields = toProviderFields(body, this.secrets);
    return presentProvider(await this.rpc.request(RpcSubjects.CreateProvider, {
      ...fields, projectId, name: body.name, kind: body.kind, baseUrl: body.base_url,
    }, this.env.RPC_TIMEOUT_MS));
  }

  @Get()
  async list(@CurrentProject() projectId: string, @Query() page: PageQuery) {
    const result = await this.rpc.request(RpcSubjects.ListProviders, { projectId, limit: page.limit, offset: page.offset }, this.env.RPC_TIMEOUT_MS);
    return { ...result, items: result.items.map(presentProvider) };
  }

  @Get(':id')
  async get(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return presentProvider(await this.rpc.request(RpcSubjects.GetProvider, { projectId, providerId: id }, this.env.RPC_TIMEOUT_MS));
  }

  @Patch(':id')
  async update(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateProviderBody) {
    const fields = toProviderFields(body, this.secrets);
    return presentProvider(await this.rpc.request(RpcSubjects.UpdateProvider, { ...fields, projectId, providerId: id }, this.env.RPC_TIMEOUT_MS));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.rpc.request(RpcSubjects.DeleteProvider, { projectId, providerId: id }, this.env.RPC_TIMEOUT_MS);
  }

  /** Calls the endpoint's model list with its key: `{ ok, latency_ms, models, error }`. */
  @Post(':id/test')
  @HttpCode(200)
  async test(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    const result = await this.rpc.request(RpcSubjects.TestProvider, { projectId, providerId: id }, this.env.RPC_TIMEOUT_MS + 15_000);
    return { ok: result.ok, latency_ms: result.latencyMs, models: result.models, error: result.error };
  }
}
