export * from './environment';
export * from './readiness.registry';
export * from './health.controller';
export * from './health.module';
export * from './start-service';
export * from './concurrency-limiter';
