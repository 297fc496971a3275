import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ProjectResolver } from './project.resolver';

@Injectable()
export class ProjectMiddleware implements NestMiddleware {
  constructor(private readonly resolver: ProjectResolver) {}

  use(request: Request & { projectId?: string }, _response: Response, next: NextFunction): void {
    request.projectId = this.resolver.resolve(request);
    next();
  }
}
