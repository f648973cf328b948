// Bounded parallelism with back-pressure: add() waits while `limit` tasks run, so a producer (the chain
// walk) never runs far ahead of the verifiers and memory stays flat however many files there are.

export class Pool {
  private running = 0;
  private waiters: (() => void)[] = [];
  private idle: (() => void)[] = [];
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  /** Starts the task once a slot is free; rethrows the first failure of any earlier task. */
  async add(task: () => Promise<void>): Promise<void> {
    while (this.running >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.throwIfFailed();
    this.running++;
    void task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.running--;
        this.waiters.shift()?.();
        if (this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
  }

  /** Waits for every started task; rethrows the first failure. */
  async drain(): Promise<void> {
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}
