import { Controller, Delete, Get, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { BusRpcClient } from '@yardstick/bus';
import { RpcSubjects } from '@yardstick/contracts';
import { GatewayEnv } from '../config/gateway.env';
import { CurrentProject } from '../tenancy/project.resolver';

export class ClearCacheQuery {
  /** Entries of the deployment's default endpoint are shared by every project: a project clears only its own endpoints'. */
  @ApiProperty({ format: 'uuid', description: 'A provider endpoint of the project' }) @IsUUID() endpoint_id!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) model?: string;
}

/** The shared response cache lives in llm-caller's Redis. */
@ApiTags('cache')
@Controller('cache')
export class CacheController {
  constructor(
    private readonly rpc: BusRpcClient,
    private readonly env: GatewayEnv,
  ) {}

  @Get('stats')
  async stats(@CurrentProject() projectId: string) {
    const s = await this.rpc.request(RpcSubjects.CacheStats, { projectId }, this.env.RPC_TIMEOUT_MS);
    return {
      hits: s.hits, misses: s.misses, hit_rate: s.hitRate, entries: s.entries, memory_bytes: s.memoryBytes,
      max_memory_bytes: s.maxMemoryBytes, saved_tokens: s.savedTokens, saved_cost_usd: s.savedCostUsd,
    };
  }

  @Delete()
  async clear(@CurrentProject() projectId: string, @Query() query: ClearCacheQuery) {
    return this.rpc.request(RpcSubjects.ClearCache, { projectId, endpointId: query.endpoint_id, model: query.model }, this.env.RPC_TIMEOUT_MS);
  }
}
