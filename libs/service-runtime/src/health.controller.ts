import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ReadinessRegistry } from './readiness.registry';

@Controller()
export class HealthController {
  constructor(private readonly registry: ReadinessRegistry) {}

  /** Liveness: the process is up and its event loop answers. */
  @Get('healthz')
  @HttpCode(200)
  liveness(): { status: string } {
    return { status: 'ok' };
  }

  /** Readiness: every dependency the service needs answers. */
  @Get('readyz')
  async readiness(@Res() response: Response): Promise<void> {
    const { ready, checks } = await this.registry.evaluate();
    response.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks });
  }
}
