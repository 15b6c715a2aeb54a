/** LiveHub: coalescing, snapshot + deltas, history merge (lib/live/hub.ts). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../../lib/live/event';
import { LiveHub, type History } from '../../lib/live/hub';
import { MINUTE_MS, applyDelta, stateFromSnapshot, stateToPlain, type LiveDelta, type LiveState } from '../../lib/live/protocol';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

function ev(t: number, visit: string, over: Partial<LiveEvent> = {}): LiveEvent {
  return { site: 's.test', t, visit, name: 'pageview', page: '/', source: '', country: 'DE', device: 'Desktop', city: '', browser: 'Firefox', ...over };
}

let hub: LiveHub;
let sent: { room: string; delta: LiveDelta; at: number }[];

function makeHub(opts: ConstructorParameters<typeof LiveHub>[0] = {}) {
  hub = new LiveHub({ boundary: T0 - 60 * MINUTE_MS, ...opts });
  sent = [];
  hub.setEmitter((room, delta) => sent.push({ room, delta, at: Date.now() }));
  return hub;
}

beforeEach(() => vi.useFakeTimers({ now: T0 }));
afterEach(() => {
  hub?.close();
  vi.useRealTimers();
});

describe('coalescing', () => {
  it('sends the first change at once, then at most one delta per 250 ms, losing nothing', async () => {
    makeHub();
    const snap = await hub.subscribe('s.test', {}, () => undefined);
    expect(snap.online).toBe(0);
    // 200 events over one second, one every 5 ms.
    for (let i = 0; i < 200; i++) {
      hub.ingest([ev(Date.now(), `v${i % 40}`)]);
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(300);
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(sent.length).toBeLessThanOrEqual(6);
    expect(sent[0]!.at - T0).toBeLessThanOrEqual(5);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(250);
    const pv = sent.flatMap((s) => s.delta.series).reduce((n, p) => n + p[1], 0);
    expect(pv).toBe(200);
    expect(sent.reduce((n, s) => n + s.delta.online, 0)).toBe(40);
    expect(sent.map((s) => s.delta.seq)).toEqual(sent.map((_, i) => i + 1));
  });

  it('coalesces per room: a busy room does not delay a quiet one', async () => {
    makeHub();
    await hub.subscribe('s.test', {}, () => undefined);
    await hub.subscribe('s.test', { page: '/rare' }, () => undefined);
    hub.ingest([ev(Date.now(), 'a')]);
    await vi.advanceTimersByTimeAsync(10);
    hub.ingest([ev(Date.now(), 'b', { page: '/rare' })]);
    await vi.advanceTimersByTimeAsync(1);
    const rare = sent.filter((s) => s.room === 's.test?page=%2Frare');
    expect(rare).toHaveLength(1);
    expect(rare[0]!.at - T0).toBeLessThan(20);
  });

  it('sends nothing to a room nobody is in, and drops it after the grace period', async () => {
    makeHub({ roomGraceMs: 5_000 });
    const s = await hub.subscribe('s.test', {}, () => undefined);
    hub.leave(s.room);
    hub.ingest([ev(Date.now(), 'a')]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(0);
    expect(hub.stats().rooms).toBe(1);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(hub.stats().rooms).toBe(0);
  });
});

describe('snapshots and deltas', () => {
  it('a late joiner\'s snapshot equals the first snapshot plus every delta in between', async () => {
    makeHub();
    for (const filter of [{}, { country: 'DE' }, { name: 'signup' }]) {
      const first = await hub.subscribe('s.test', filter, () => undefined);
      let state: LiveState | null = stateFromSnapshot(first);
      const mine = () => sent.filter((s) => s.room === first.room);
      let applied = 0;
      const drain = () => {
        for (const s of mine().slice(applied)) state = state && applyDelta(state, s.delta);
        applied = mine().length;
      };
      // 8 minutes of traffic: visitors come and go, minutes roll, the feed turns over.
      let seed = 3;
      const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      for (let i = 0; i < 8 * 60 * 4; i++) {
        const batch = Array.from({ length: rnd(4) }, () => {
          const v = rnd(60);
          return ev(Date.now() - rnd(500), `v${v}`, {
            page: `/p${rnd(7)}`,
            country: ['DE', 'US', 'FR'][v % 3]!,
            name: ['pageview', 'pageview', 'signup', 'engagement'][rnd(4)]!,
          });
        });
        hub.ingest(batch);
        await vi.advanceTimersByTimeAsync(250);
        drain();
      }
      // Idle for 6 minutes: everyone expires.
      await vi.advanceTimersByTimeAsync(6 * MINUTE_MS);
      drain();
      const late = await hub.subscribe('s.test', filter, () => undefined);
      drain();
      expect(state).not.toBeNull();
      expect(stateToPlain(state!)).toEqual(stateToPlain(stateFromSnapshot(late)));
      expect(late.online).toBe(0);
    }
  });

  it('sends the pending delta to existing members before a new member\'s snapshot', async () => {
    makeHub();
    await hub.subscribe('s.test', {}, () => undefined);
    hub.ingest([ev(T0, 'a')]);
    await vi.advanceTimersByTimeAsync(1);
    hub.ingest([ev(T0 + 1, 'b')]); // pending: within 250 ms of the last delta
    const order: string[] = [];
    hub.setEmitter((room, d) => order.push(`delta ${d.seq}`));
    const snap = await hub.subscribe('s.test', {}, () => order.push('join'));
    expect(order).toEqual(['delta 2', 'join']);
    expect(snap.seq).toBe(2);
    expect(snap.online).toBe(2);
  });

  it('emits negative online and top changes when visitors expire, and a delta when the minute rolls', async () => {
    makeHub();
    await hub.subscribe('s.test', {}, () => undefined);
    hub.ingest([ev(T0, 'a', { page: '/x' })]);
    await vi.advanceTimersByTimeAsync(MINUTE_MS + 10);
    expect(sent.some((s) => s.delta.minute === T0 + MINUTE_MS && s.delta.series.length === 0)).toBe(true);
    sent = [];
    await vi.advanceTimersByTimeAsync(4 * MINUTE_MS + 2_000);
    const expiry = sent.find((s) => s.delta.online === -1)!;
    expect(expiry.delta.top.page).toEqual([['/x', -1]]);
  });
});

describe('history from before the node started', () => {
  it('merges history older than the boundary and ignores stream events before it', async () => {
    const boundary = T0 - 10_000;
    const rebuild = vi.fn(async (): Promise<History> => ({
      minutes: [
        { minute: T0 - 20 * MINUTE_MS, name: 'pageview', page: '/old', source: '', country: 'US', device: 'Mobile', pv: 5, ev: 5 },
        { minute: T0 - MINUTE_MS, name: 'signup', page: '/old', source: '', country: 'US', device: 'Mobile', pv: 0, ev: 2 },
      ],
      recent: [ev(T0 - 60_000, 'h1', { page: '/old', country: 'US' })],
      feed: [ev(T0 - 60_000, 'h1', { page: '/old', country: 'US' })],
    }));
    makeHub({ boundary, rebuild });
    hub.ingest([ev(boundary - 1, 'dup'), ev(T0, 'new')]);
    const s = await hub.subscribe('s.test', {}, () => undefined);
    expect(rebuild).toHaveBeenCalledOnce();
    expect(s.series).toEqual([
      [T0 - 20 * MINUTE_MS, 5, 5],
      [T0 - MINUTE_MS, 0, 2],
      [T0, 1, 1],
    ]);
    expect(s.online).toBe(2);
    expect(s.feed.map((f) => f.page)).toEqual(['/', '/old']);
    const us = await hub.subscribe('s.test', { country: 'US' }, () => undefined);
    expect(us.series).toEqual([
      [T0 - 20 * MINUTE_MS, 5, 5],
      [T0 - MINUTE_MS, 0, 2],
    ]);
    expect(rebuild).toHaveBeenCalledOnce();
  });

  it('serves what the stream brought, marked incomplete, when the rebuild fails', async () => {
    makeHub({ boundary: T0 - 1, rebuild: async () => Promise.reject(new Error('down')), log: { warn: () => undefined } });
    hub.ingest([ev(T0, 'a')]);
    const s = await hub.subscribe('s.test', {}, () => undefined);
    expect(s.complete).toBe(false);
    expect(s.online).toBe(1);
  });

  it('waits for the stream boundary (scale-out: the live consumer joining) before answering', async () => {
    makeHub({ boundary: undefined });
    let done = false;
    const p = hub.subscribe('s.test', {}, () => undefined).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(done).toBe(false);
    hub.setBoundary(Date.now());
    await p;
    expect(done).toBe(true);
  });
});
