export * from './unique-id';
export * from './poll-until';
export * from './free-port';
export * from './service-process';
export * from './yardstick-stack';
export * from './nats-server-process';
export * from './postgres-cluster';
export * from './bus-probe';
