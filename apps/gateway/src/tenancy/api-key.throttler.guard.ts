import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';
import { HealthController } from '@yardstick/service-runtime';
import type { AuthenticatedRequest } from './api-key.guard';

/** Rate limits per API key, shared across gateway replicas through Redis; runs after ApiKeyGuard. */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  private readonly limiterLog = new Logger(ApiKeyThrottlerGuard.name);

  /** While Redis is unreachable requests pass: an outage of the limiter must not become an outage of the API. */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await super.canActivate(context);
    } catch (error) {
      if (error instanceof ThrottlerException) throw error;
      this.limiterLog.warn(`rate limit not checked: ${(error as Error).message}`);
      return true;
    }
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http' || context.getClass() === HealthController;
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const { principal, ip } = request as unknown as AuthenticatedRequest;
    return principal ? `key:${principal.keyId}` : `ip:${ip}`;
  }
}
