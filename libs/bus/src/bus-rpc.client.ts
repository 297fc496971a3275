import { Injectable } from '@nestjs/common';
import { NoRespondersError, TimeoutError } from '@nats-io/transport-node';
import { RpcReply, RpcReplyOf, RpcRequestOf, RpcSubject, ServiceErrorCode, ServiceException } from '@yardstick/contracts';
import { BusConnection } from './bus-connection';

/**
 * Request/reply over core NATS for questions that need an answer now (create a run, read a run).
 * Not for work that must not be lost: that goes through JetStream.
 */
@Injectable()
export class BusRpcClient {
  constructor(private readonly bus: BusConnection) {}

  /** Resolves with the reply's data, or throws a ServiceException with the answering service's error code. */
  async request<S extends RpcSubject>(subject: S, request: RpcRequestOf<S>, timeoutMs = 10_000): Promise<RpcReplyOf<S>> {
    let reply: RpcReply<RpcReplyOf<S>>;
    try {
      const message = await this.bus.nc.request(this.bus.names.subject(subject), JSON.stringify(request), { timeout: timeoutMs });
      reply = message.json<RpcReply<RpcReplyOf<S>>>();
    } catch (error) {
      if (error instanceof NoRespondersError || (error as Error)?.cause instanceof NoRespondersError) {
        throw new ServiceException(ServiceErrorCode.Unavailable, `no service answers ${subject}`);
      }
      if (error instanceof TimeoutError || (error as Error)?.cause instanceof TimeoutError) {
        throw new ServiceException(ServiceErrorCode.Unavailable, `${subject} did not answer within ${timeoutMs} ms`);
      }
      throw error;
    }
    if (!reply.ok) throw new ServiceException(reply.error.code, reply.error.message, reply.error.details);
    return reply.data;
  }
}
