import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { RpcSubject } from '@yardstick/contracts';
import { BusConnection } from './bus-connection';
import { ConsumerRunner } from './consumer-runner';
import { DeadLetterRecorder } from './dead-letter.recorder';
import { ON_REQUEST, ON_SUBJECT, SubjectHandlerMetadata } from './handler.decorators';
import { RequestResponder } from './request-responder';
import { StreamProvisioner } from './stream-provisioner';

const DEFAULT_CONCURRENCY = 16;

/** Finds @OnSubject and @OnRequest methods at startup, provisions their consumers and starts them; stops them first at shutdown. */
@Injectable()
export class HandlerExplorer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HandlerExplorer.name);
  private readonly runners: ConsumerRunner[] = [];
  private readonly responders: RequestResponder[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly bus: BusConnection,
    private readonly provisioner: StreamProvisioner,
    private readonly deadLetters: DeadLetterRecorder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || wrapper.isAlias) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[methodName] as (...args: unknown[]) => Promise<unknown>;
        const subjectHandler = this.reflector.get<SubjectHandlerMetadata | undefined>(ON_SUBJECT, method);
        if (subjectHandler) await this.startConsumer(subjectHandler, method.bind(instance));
        const requestSubject = this.reflector.get<RpcSubject | undefined>(ON_REQUEST, method);
        if (requestSubject) this.startResponder(requestSubject, method.bind(instance));
      }
    }
  }

  private async startConsumer(metadata: SubjectHandlerMetadata, handler: (...args: unknown[]) => Promise<unknown>) {
    await this.provisioner.ensureConsumer(metadata.consumer);
    const concurrency = metadata.options.concurrency ?? this.bus.options.defaultConcurrency ?? DEFAULT_CONCURRENCY;
    const runner = new ConsumerRunner(this.bus, this.deadLetters, metadata.consumer, async (payload, context) => {
      await handler(payload, context);
    }, concurrency, async () => {
      await this.provisioner.ensureStream(metadata.consumer.stream);
      await this.provisioner.ensureConsumer(metadata.consumer);
    });
    await runner.start();
    this.runners.push(runner);
    this.logger.log(`consuming ${metadata.consumer.filterSubject} as ${metadata.consumer.durableName} (concurrency ${concurrency})`);
  }

  private startResponder(subject: RpcSubject, handler: (request: unknown) => Promise<unknown>) {
    const responder = new RequestResponder(this.bus, subject, handler);
    responder.start();
    this.responders.push(responder);
    this.logger.log(`answering ${subject}`);
  }

  async onModuleDestroy(): Promise<void> {
    const timeout = this.bus.options.drainTimeoutMs ?? 20_000;
    await Promise.all([...this.runners.map((runner) => runner.stop(timeout)), ...this.responders.map((r) => r.stop(timeout))]);
  }
}
