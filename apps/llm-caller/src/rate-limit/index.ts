export * from './rate-limits';
export * from './rate-limit.exception';
export * from './provider-rate-limiter';
export { parseResetDuration, readProviderBudgets } from './provider-rate-limit.headers';
export type { ProviderBudget, ProviderBudgets } from './provider-rate-limit.headers';
