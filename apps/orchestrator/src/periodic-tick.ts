/** Runs `tick` every `intervalMs`, never two at once; `stop` waits for the one under way. */
export class PeriodicTick {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly tick: () => Promise<void>) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = undefined));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
