import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HealthController } from '@yardstick/service-runtime';
import { ApiErrorCode, ApiException } from '../api/api.exception';
import { RequestPrincipal, TenancyService } from './tenancy.service';

export type AuthenticatedRequest = Request & { principal?: RequestPrincipal };

const BEARER = /^Bearer ([^\s]+)$/i;

/** Every API request carries `Authorization: Bearer <key>`; the key decides the project it acts in. Probes are open. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly tenancy: TenancyService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || context.getClass() === HealthController) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const key = typeof header === 'string' ? BEARER.exec(header.trim())?.[1] : undefined;
    const principal = key ? await this.tenancy.authenticate(key) : null;
    if (!principal) {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="yardstick"');
      throw new ApiException(HttpStatus.UNAUTHORIZED, ApiErrorCode.Unauthorized,
        header ? 'the API key is invalid or revoked' : 'missing API key: send Authorization: Bearer <key>');
    }
    request.principal = principal;
    return true;
  }
}
