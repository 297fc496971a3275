import { Body, Controller, Get, Param, ParseIntPipe, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PageQuery } from '../api/page.query';
import { CurrentProject } from '../tenancy/project.resolver';
import { presentConfigVersion } from './config.presenter';
import { ConfigsRepository } from './configs.repository';
import { ConfigsService } from './configs.service';
import { ConfigVersionBody, CreateConfigBody } from './dto/config-version.body';

@ApiTags('configs')
@Controller('configs')
export class ConfigsController {
  constructor(
    private readonly configs: ConfigsService,
    private readonly repository: ConfigsRepository,
  ) {}

  @Post()
  async create(@CurrentProject() projectId: string, @Body() body: CreateConfigBody) {
    const { config, version } = await this.configs.create(projectId, body);
    return presentConfigVersion(config, version);
  }

  @Get()
  async list(@CurrentProject() projectId: string, @Query() page: PageQuery) {
    const [configs, total] = await this.repository.list(projectId, page.limit, page.offset);
    const items = await Promise.all(configs.map(async (c) => presentConfigVersion(c, (await this.configs.get(projectId, c.id)).version)));
    return { items, total, limit: page.limit, offset: page.offset };
  }

  @Get(':id')
  async get(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    const { config, version } = await this.configs.get(projectId, id);
    return presentConfigVersion(config, version);
  }

  @Post(':id/versions')
  async addVersion(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: ConfigVersionBody) {
    const { config, version } = await this.configs.addVersion(projectId, id, body);
    return presentConfigVersion(config, version);
  }

  @Get(':id/versions')
  async versions(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    const { config } = await this.configs.get(projectId, id);
    const versions = await this.repository.listVersions(projectId, id);
    return { items: versions.map((v) => presentConfigVersion(config, v)), total: versions.length, limit: versions.length, offset: 0 };
  }

  @Get(':id/versions/:version')
  async version(
    @CurrentProject() projectId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
  ) {
    const found = await this.configs.get(projectId, id, version);
    return presentConfigVersion(found.config, found.version);
  }
}
