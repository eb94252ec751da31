/** A repeating async task: never overlaps itself, errors go to `onError`, unref'd timer, stop waits for a running pass. */
export class Repeater {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs the task now unless a pass is running (then waits for that one). */
  runOnce(): Promise<void> {
    if (this.running !== undefined) return this.running;
    if (this.stopped) return Promise.resolve();
    this.running = this.task()
      .then(() => undefined)
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
