import { QueryFailedError } from 'typeorm';

/** The SQLSTATE and constraint of a failed query, when the error came from Postgres. */
export function postgresError(error: unknown): { code: string; constraint?: string } | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code ? { code: driverError.code, constraint: driverError.constraint } : undefined;
}

export const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pg = postgresError(error);
  return pg?.code === UNIQUE_VIOLATION && pg.constraint === constraint;
}
