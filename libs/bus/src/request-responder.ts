import { Logger } from '@nestjs/common';
import { Msg, Subscription } from '@nats-io/transport-node';
import { RpcCatalog, RpcReply, RpcSubject, ServiceErrorCode, ServiceException, validatePlain } from '@yardstick/contracts';
import { BusConnection } from './bus-connection';

export type RequestHandler = (request: unknown) => Promise<unknown>;

/** Answers one request/reply subject; replicas share the load through a queue group. */
export class RequestResponder {
  private readonly logger: Logger;
  private subscription?: Subscription;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly bus: BusConnection,
    private readonly subject: RpcSubject,
    private readonly handler: RequestHandler,
  ) {
    this.logger = new Logger(`Rpc:${subject}`);
  }

  start(): void {
    this.subscription = this.bus.nc.subscribe(this.bus.names.subject(this.subject), {
      queue: this.bus.options.serviceName,
      callback: (error, message) => {
        if (error) return this.logger.error(error.message);
        const task = this.answer(message).finally(() => this.inFlight.delete(task));
        this.inFlight.add(task);
      },
    });
  }

  async stop(timeoutMs: number): Promise<void> {
    this.subscription?.unsubscribe();
    await Promise.race([Promise.all(this.inFlight), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  private async answer(message: Msg): Promise<void> {
    message.respond(JSON.stringify(await this.reply(message)));
  }

  private async reply(message: Msg): Promise<RpcReply<unknown>> {
    let body: unknown;
    try {
      body = message.json();
    } catch {
      return failure(new ServiceException(ServiceErrorCode.ValidationFailed, 'request body is not JSON'));
    }
    const request = validatePlain(RpcCatalog[this.subject].request as new () => object, body);
    if (!request.ok) {
      return failure(new ServiceException(ServiceErrorCode.ValidationFailed, 'invalid request', { problems: request.problems }));
    }
    try {
      return { ok: true, data: await this.handler(request.value) };
    } catch (error) {
      if (error instanceof ServiceException) return failure(error);
      this.logger.error(`request failed: ${(error as Error).stack ?? error}`);
      return failure(new ServiceException(ServiceErrorCode.Internal, 'internal error'));
    }
  }
}

function failure(error: ServiceException): RpcReply<never> {
  return { ok: false, error: error.toServiceError() };
}
