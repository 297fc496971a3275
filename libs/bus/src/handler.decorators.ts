import { SetMetadata } from '@nestjs/common';
import { ConsumerDefinition, RpcSubject } from '@yardstick/contracts';

export const ON_SUBJECT = Symbol('yardstick:on-subject');
export const ON_REQUEST = Symbol('yardstick:on-request');

export interface SubjectHandlerOptions {
  /** How many messages this process handles at once for this consumer. */
  concurrency?: number;
}

export interface SubjectHandlerMetadata {
  consumer: ConsumerDefinition;
  options: SubjectHandlerOptions;
}

/**
 * Marks a method as the handler of a durable consumer declared in contracts.
 * The method receives the validated payload and a MessageContext; returning acks the message.
 */
export const OnSubject = (consumer: ConsumerDefinition, options: SubjectHandlerOptions = {}): MethodDecorator =>
  SetMetadata(ON_SUBJECT, { consumer, options } satisfies SubjectHandlerMetadata);

/** Marks a method as the answer to a request/reply subject; it receives the validated request. */
export const OnRequest = (subject: RpcSubject): MethodDecorator => SetMetadata(ON_REQUEST, subject);
