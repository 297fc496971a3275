import { ConsumerDefinition, StreamDefinition } from '@yardstick/contracts';

/** Applies the deployment prefix to the names declared in contracts. */
export class BusNames {
  constructor(private readonly prefix: string) {
    if (prefix && !/^[a-zA-Z0-9_-]+$/.test(prefix)) throw new Error(`BUS_PREFIX must match [a-zA-Z0-9_-]+, got "${prefix}"`);
  }

  subject(logical: string): string {
    return this.prefix ? `${this.prefix}.${logical}` : logical;
  }

  /** The logical subject of a subject seen on the wire. */
  logicalSubject(wire: string): string {
    return this.prefix && wire.startsWith(`${this.prefix}.`) ? wire.slice(this.prefix.length + 1) : wire;
  }

  stream(definition: StreamDefinition): string {
    return this.prefix ? `${this.prefix.toUpperCase().replace(/-/g, '_')}_${definition.name}` : definition.name;
  }

  consumer(definition: ConsumerDefinition): string {
    return definition.durableName;
  }
}
