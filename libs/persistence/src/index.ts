export * from './persistence.options';
export * from './persistence.module';
export * from './migration-runner';
export * from './postgres-errors';
