import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, PersistenceOptions } from './persistence.options';

/** Creates the service's schema if needed and applies pending migrations. The only way tables are made. */
export async function runMigrations(options: PersistenceOptions): Promise<string[]> {
  const client = new Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  } finally {
    await client.end();
  }
  const dataSource = new DataSource(dataSourceOptions(options));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
