import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './api-key.guard';

/** The id of the project the request's API key belongs to (set by ApiKeyGuard). */
export const CurrentProject = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('ApiKeyGuard did not run');
  return principal.projectId;
});
