import { describe, expect, it } from 'vitest';
import { Batcher } from '../../lib/batcher';

describe('Batcher', () => {
  it('coalesces concurrent callers and resolves each after its flush', async () => {
    const flushed: number[][] = [];
    const b = new Batcher<number>({ maxItems: 100, maxWaitMs: 5, flush: async (items) => void flushed.push(items) });
    await Promise.all([b.add([1]), b.add([2, 3]), b.add([4])]);
    expect(flushed).toEqual([[1, 2, 3, 4]]);
  });

  it('rejects the callers of a failed flush only', async () => {
    let fail = true;
    const b = new Batcher<number>({ maxItems: 1, maxWaitMs: 0, flush: async () => { if (fail) { fail = false; throw new Error('down'); } } });
    const first = b.add([1]);
    const second = b.add([2]);
    await expect(first).rejects.toThrow('down');
    await expect(second).resolves.toBeUndefined();
  });

  it('never splits one request and batches what arrives during a flush', async () => {
    const flushed: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const b = new Batcher<number>({
      maxItems: 3,
      maxWaitMs: 0,
      flush: async (items) => {
        flushed.push(items);
        if (flushed.length === 1) await gate;
      },
    });
    const p = [b.add([1]), b.add([2, 3]), b.add([4, 5, 6, 7])];
    release();
    await Promise.all(p);
    expect(flushed).toEqual([[1], [2, 3], [4, 5, 6, 7]]);
  });
});

describe('Batcher with concurrent flushes', () => {
  it('runs up to maxConcurrent flushes at once and drains them all', async () => {
    let running = 0;
    let peak = 0;
    const b = new Batcher<number>({
      maxItems: 1,
      maxWaitMs: 0,
      maxConcurrent: 3,
      flush: async () => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      },
    });
    const all = Promise.all(Array.from({ length: 10 }, (_, i) => b.add([i])));
    await b.drain();
    await all;
    expect(peak).toBe(3);
    expect(running).toBe(0);
  });
});
