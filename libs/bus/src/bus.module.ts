import { DynamicModule, Global, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ReadinessRegistry } from '@yardstick/service-runtime';
import { BusConnection } from './bus-connection';
import { BusPublisher } from './bus.publisher';
import { BUS_OPTIONS, BusOptions } from './bus.options';
import { BusRpcClient } from './bus-rpc.client';
import { DeadLetterRecorder } from './dead-letter.recorder';
import { HandlerExplorer } from './handler-explorer';
import { LiveEventPublisher } from './live-event.publisher';
import { LiveEventReader } from './live-event.reader';
import { StreamProvisioner } from './stream-provisioner';

@Injectable()
class BusStartup implements OnModuleInit {
  constructor(
    private readonly bus: BusConnection,
    private readonly provisioner: StreamProvisioner,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.bus.connect();
    await this.provisioner.ensureStreams();
    this.readiness.register({ name: 'nats', check: () => this.bus.ping() });
  }
}

@Global()
@Module({})
export class BusModule {
  static forRoot(options: BusOptions): DynamicModule {
    return {
      module: BusModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: BUS_OPTIONS, useValue: options },
        BusConnection,
        StreamProvisioner,
        BusPublisher,
        BusRpcClient,
        DeadLetterRecorder,
        BusStartup,
        HandlerExplorer,
        LiveEventPublisher,
        LiveEventReader,
      ],
      exports: [BusConnection, BusPublisher, BusRpcClient, StreamProvisioner, LiveEventPublisher, LiveEventReader],
    };
  }
}
