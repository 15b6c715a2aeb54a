/**
 * Collects items from many callers into batches and resolves each caller's
 * promise once the batch holding its items has been flushed (or rejects it
 * if that flush failed). At most `maxConcurrent` flushes run at once: what
 * arrives meanwhile forms the next batch, so batches grow exactly when the
 * sink is slow, and a lone item waits at most `maxWaitMs`. A sink with a
 * fixed cost per write (a ClickHouse insert feeding materialized views)
 * gains from a few concurrent flushes; an ordered one (Kafka's idempotent
 * producer) wants one.
 */
interface Pending<T> {
  items: T[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface BatcherOptions<T> {
  maxItems: number;
  maxWaitMs: number;
  /** Flushes allowed in flight at once (default 1). */
  maxConcurrent?: number;
  flush: (items: T[]) => Promise<void>;
}

export class Batcher<T> {
  private queue: Pending<T>[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<void>>();

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
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      if (this.queue.length > 0 && !this.busy()) this.startFlush();
      else await Promise.race(this.inFlight);
    }
  }

  private busy(): boolean {
    return this.inFlight.size >= (this.opts.maxConcurrent ?? 1);
  }

  private schedule(): void {
    if (this.busy()) return;
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
    if (this.busy() || this.queue.length === 0) return;
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
    const flight: Promise<void> = this.opts
      .flush(items)
      .then(
        () => batch.forEach((p) => p.resolve()),
        (err: unknown) => batch.forEach((p) => p.reject(err)),
      )
      .finally(() => {
        this.inFlight.delete(flight);
        // What queued up during this flush has waited long enough already.
        if (this.queue.length > 0) this.startFlush();
      });
    this.inFlight.add(flight);
  }
}
