/**
 * Collects items from many callers into batches and resolves each caller's
 * promise once the batch holding its items has been flushed (or rejects it
 * if that flush failed). At most one flush runs at a time: what arrives
 * meanwhile forms the next batch, so batches grow exactly when the sink is
 * slow, and a lone item waits at most `maxWaitMs`.
 */
interface Pending<T> {
  items: T[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface BatcherOptions<T> {
  maxItems: number;
  maxWaitMs: number;
  flush: (items: T[]) => Promise<void>;
}

export class Batcher<T> {
  private queue: Pending<T>[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly opts: BatcherOptions<T>) {}

  add(items: T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.queued += items.length;
      this.schedule();
    });
  }

  /** Flushes everything queued; used on shutdown. */
  async drain(): Promise<void> {
    while (this.flushing || this.queue.length > 0) {
      if (this.flushing) await this.flushing.catch(() => undefined);
      else this.startFlush();
    }
  }

  private schedule(): void {
    if (this.flushing) return;
    if (this.queued >= this.opts.maxItems || this.opts.maxWaitMs === 0) {
      this.startFlush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.startFlush(), this.opts.maxWaitMs);
    }
  }

  private startFlush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.flushing || this.queue.length === 0) return;
    // Take whole requests up to maxItems (at least one), so one request is never split.
    const batch: Pending<T>[] = [];
    let count = 0;
    while (this.queue.length > 0 && (batch.length === 0 || count + this.queue[0]!.items.length <= this.opts.maxItems)) {
      const p = this.queue.shift()!;
      batch.push(p);
      count += p.items.length;
    }
    this.queued -= count;
    const items = batch.flatMap((p) => p.items);
    this.flushing = this.opts
      .flush(items)
      .then(
        () => batch.forEach((p) => p.resolve()),
        (err: unknown) => batch.forEach((p) => p.reject(err)),
      )
      .finally(() => {
        this.flushing = null;
        // What queued up during this flush has waited long enough already.
        if (this.queue.length > 0) this.startFlush();
      });
  }
}
