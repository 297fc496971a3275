import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Namespace of the experiments' advisory locks (first key of pg_advisory_lock(int, int)). */
const LOCK_NAMESPACE = 77_001;

/**
 * Serializes everything that changes one experiment (the sweep driver's pass and a user's start, pause, resume
 * or stop) across replicas with a session-level Postgres advisory lock: if the process dies, the lock dies with it.
 */
@Injectable()
export class ExperimentLock {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` holding the experiment's lock; `wait: false` skips it (returns undefined) when another holder has it. */
  async withLock<T>(experimentId: string, work: () => Promise<T>, wait = true): Promise<T | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      if (wait) {
        await runner.query(`SELECT pg_advisory_lock($1, hashtext($2))`, [LOCK_NAMESPACE, experimentId]);
      } else {
        const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked`, [LOCK_NAMESPACE, experimentId]);
        if (!locked) return undefined;
      }
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [LOCK_NAMESPACE, experimentId]);
      }
    } finally {
      await runner.release();
    }
  }
}
