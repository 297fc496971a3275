import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '@yardstick/service-runtime';
import { DataSource } from 'typeorm';
import { dataSourceOptions, PERSISTENCE_OPTIONS, PersistenceOptions } from './persistence.options';

@Injectable()
class DataSourceLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Persistence');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PERSISTENCE_OPTIONS) private readonly options: PersistenceOptions,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.dataSource.initialize();
    if (await this.dataSource.showMigrations()) {
      throw new Error(`schema "${this.options.schema}" has pending migrations: run the migrate command first`);
    }
    this.readiness.register({ name: 'postgres', check: async () => void (await this.dataSource.query('SELECT 1')) });
    this.logger.log(`connected to Postgres, schema ${this.options.schema}`);
  }

  // After consumers stopped (onModuleDestroy), so in-flight handlers could still write.
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

@Global()
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: PERSISTENCE_OPTIONS, useValue: options },
        { provide: DataSource, useFactory: () => new DataSource(dataSourceOptions(options)) },
        DataSourceLifecycle,
      ],
      exports: [DataSource],
    };
  }
}
