import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { GatewayEnv } from '../config/gateway.env';

/**
 * Decides which project a request acts in. Today every request belongs to the default project;
 * when API keys land, this resolver reads the key — no query or controller changes.
 */
@Injectable()
export class ProjectResolver {
  constructor(private readonly env: GatewayEnv) {}

  resolve(_request: Request): string {
    return this.env.DEFAULT_PROJECT_ID;
  }
}

/** The id of the project the request acts in (set by ProjectMiddleware). */
export const CurrentProject = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<Request & { projectId?: string }>();
  if (!request.projectId) throw new Error('ProjectMiddleware did not run');
  return request.projectId;
});
