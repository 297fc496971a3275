import { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface PersistenceOptions {
  databaseUrl: string;
  /** The service's own schema: each service owns its tables. */
  schema: string;
  // TypeORM's own list types: entity classes, migration classes.
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

export const PERSISTENCE_OPTIONS = Symbol('PERSISTENCE_OPTIONS');

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function dataSourceOptions(options: PersistenceOptions): DataSourceOptions {
  if (!SCHEMA_NAME.test(options.schema)) throw new Error(`DB_SCHEMA must match ${SCHEMA_NAME}, got "${options.schema}"`);
  return {
    type: 'postgres',
    url: options.databaseUrl,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    // Raw SQL in migrations and repositories resolves unqualified names in the service's schema.
    extra: { options: `-c search_path=${options.schema}`, max: options.poolSize ?? 20 },
  };
}
