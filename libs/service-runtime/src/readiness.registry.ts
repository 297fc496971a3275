import { Injectable } from '@nestjs/common';

/** A dependency whose health decides whether the service can take work (Postgres, NATS, Redis, …). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

@Injectable()
export class ReadinessRegistry {
  private readonly checks: ReadinessCheck[] = [];
  private draining = false;

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  /** Called on shutdown so load balancers stop routing here while in-flight work finishes. */
  markDraining(): void {
    this.draining = true;
  }

  async evaluate(timeoutMs = 2_000): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const results = await Promise.all(
      this.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), timeoutMs, name);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, `failing: ${(error as Error).message}`] as const;
        }
      }),
    );
    const checks: Record<string, string> = Object.fromEntries(results);
    if (this.draining) checks['shutdown'] = 'draining';
    return { ready: !this.draining && results.every(([, status]) => status === 'ok'), checks };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
