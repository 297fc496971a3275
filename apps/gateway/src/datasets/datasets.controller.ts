import {
  Body, Controller, Get, HttpStatus, Param, ParseUUIDPipe, Post, Query, UploadedFile, UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { unlink } from 'node:fs/promises';
import { ApiErrorCode, ApiException } from '../api/api.exception';
import { GatewayEnv } from '../config/gateway.env';
import { CurrentProject } from '../tenancy/project.resolver';
import { presentDataset } from './dataset.presenter';
import { DatasetUploadInterceptor } from './dataset-upload.interceptor';
import { DatasetsRepository } from './datasets.repository';
import { DatasetsService, UploadedDatasetFile } from './datasets.service';
import { ListDatasetsQuery, UploadDatasetBody } from './dto/upload-dataset.body';

@ApiTags('datasets')
@Controller('datasets')
export class DatasetsController {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly repository: DatasetsRepository,
    private readonly env: GatewayEnv,
  ) {}

  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDatasetBody })
  @UseInterceptors(DatasetUploadInterceptor)
  async upload(@CurrentProject() projectId: string, @UploadedFile() file: UploadedDatasetFile | undefined, @Body() body: UploadDatasetBody) {
    if (!file) {
      throw new ApiException(HttpStatus.BAD_REQUEST, ApiErrorCode.ValidationFailed, 'a CSV or JSONL file is required in the multipart field "file"', {
        problems: ['file: required'],
      });
    }
    try {
      const dataset = await this.datasets.upload(projectId, body.name, body.duplication_factor, file);
      return presentDataset(dataset, this.env.FAST_MODE_MAX_ITEMS);
    } finally {
      await unlink(file.path).catch(() => undefined);
    }
  }

  @Get()
  async list(@CurrentProject() projectId: string, @Query() query: ListDatasetsQuery) {
    if (query.eligible_for !== undefined && query.eligible_for !== 'fast') {
      throw new ApiException(HttpStatus.BAD_REQUEST, ApiErrorCode.ValidationFailed, 'eligible_for must be "fast"', {
        problems: ['eligible_for: must be one of: fast'],
      });
    }
    const maxItems = query.eligible_for === 'fast' ? this.env.FAST_MODE_MAX_ITEMS : undefined;
    const [datasets, total] = await this.repository.list(projectId, query.limit, query.offset, maxItems);
    return { items: datasets.map((d) => presentDataset(d, this.env.FAST_MODE_MAX_ITEMS)), total, limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  async get(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    const dataset = await this.repository.find(projectId, id);
    if (!dataset) throw ApiException.notFound('dataset', id);
    return presentDataset(dataset, this.env.FAST_MODE_MAX_ITEMS);
  }
}
