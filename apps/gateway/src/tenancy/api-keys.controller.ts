import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '../api/page.query';
import { presentApiKey } from './api-key.presenter';
import { CreateApiKeyBody } from './dto/create-api-key.body';
import { CurrentProject } from './project.resolver';
import { TenancyService } from './tenancy.service';

@ApiTags('api keys')
@ApiBearerAuth()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly tenancy: TenancyService) {}

  /** The full key is in this response only; Yardstick keeps a hash. */
  @Post()
  async create(@CurrentProject() projectId: string, @Body() body: CreateApiKeyBody) {
    const created = await this.tenancy.createKey(projectId, body.name);
    return { ...presentApiKey(created.entity), key: created.key };
  }

  @Get()
  async list(@CurrentProject() projectId: string, @Query() page: PageQuery) {
    const [keys, total] = await this.tenancy.listKeys(projectId, page.limit, page.offset);
    return { items: keys.map(presentApiKey), total, limit: page.limit, offset: page.offset };
  }

  /** Revokes at once: the next request with the key gets 401. Revoking a revoked key changes nothing. */
  @Delete(':id')
  @HttpCode(200)
  async revoke(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return presentApiKey(await this.tenancy.revokeKey(projectId, id));
  }
}
