/** Same-tick batching, the per-request cap and the queue bound (src/queue.ts). */
import { describe, expect, it } from 'vitest';
import { batcher, MAX_BATCH, MAX_QUEUED } from '../src/queue';

/** A manual scheduler: the test decides when "the end of the tick" is. */
function setup() {
  const sent: number[][] = [];
  const pending: (() => void)[] = [];
  const push = batcher<number>(
    (b) => sent.push(b),
    (f) => pending.push(f),
  );
  const tick = () => pending.splice(0).forEach((f) => f());
  return { sent, pending, push, tick };
}

describe('batcher', () => {
  it('sends events of the same tick as one batch', () => {
    const { sent, pending, push, tick } = setup();
    push(1);
    push(2);
    push(3);
    expect(sent).toEqual([]);
    expect(pending).toHaveLength(1);
    tick();
    expect(sent).toEqual([[1, 2, 3]]);
  });

  it('starts a new batch in the next tick', () => {
    const { sent, push, tick } = setup();
    push(1);
    tick();
    push(2);
    tick();
    expect(sent).toEqual([[1], [2]]);
  });

  it(`splits into requests of at most ${MAX_BATCH}`, () => {
    const { sent, push, tick } = setup();
    for (let i = 0; i < 25; i++) push(i);
    tick();
    expect(sent.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(sent.flat()).toEqual([...Array(25).keys()]);
  });

  it(`drops events beyond ${MAX_QUEUED} queued`, () => {
    const { sent, push, tick } = setup();
    for (let i = 0; i < 80; i++) push(i);
    tick();
    expect(sent.flat()).toEqual([...Array(MAX_QUEUED).keys()]);
    // The queue is usable again afterwards.
    push(99);
    tick();
    expect(sent.at(-1)).toEqual([99]);
  });
});
