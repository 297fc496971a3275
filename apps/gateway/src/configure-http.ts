import { INestApplication, RequestMethod } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiExceptionFilter } from './api/api-exception.filter';
import { useJsonBodyParser } from './api/json-body';
import { apiValidationPipe } from './api/validation.pipe';

export const API_PREFIX = 'api/v1';

/** REST conventions: `/api/v1`, validation with field lists, one error shape, OpenAPI at `/docs`. */
export function configureHttp(app: INestApplication): void {
  useJsonBodyParser(app as NestExpressApplication);
  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: 'healthz', method: RequestMethod.GET }, { path: 'readyz', method: RequestMethod.GET }] });
  app.useGlobalPipes(apiValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Yardstick API')
    .setDescription('Evaluate LLM configurations against question/answer datasets.')
    .setVersion('1')
    .build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
