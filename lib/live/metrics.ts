/**
 * Live metrics on the process's Prometheus registry (lib/metrics.ts), read
 * from the current hub at scrape time: rooms, members, sites tracked, and
 * counters of events taken and deltas sent.
 */
import client from 'prom-client';
import { metrics } from '../metrics';
import { processGlobal } from '../process-global';
import type { LiveHub } from './hub';

interface Holder {
  hub: LiveHub | null;
  lag: client.Histogram | null;
}

/** Seconds from an event's receipt by ingest to its arrival in this node's live state. */
export function observeLiveLag(seconds: number): void {
  processGlobal<Holder>('live-metrics', () => ({ hub: null, lag: null })).lag?.observe(seconds);
}

export function registerLiveMetrics(hub: LiveHub): void {
  const holder = processGlobal<Holder>('live-metrics', () => {
    const r = [metrics.registry];
    const h: Holder = {
      hub: null,
      lag: new client.Histogram({
        name: 'sightline_live_lag_seconds',
        help: 'Time from ingest receiving an event to the live state counting it (embedded: the commit; scale-out: worker + live topic)',
        buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
        registers: r,
      }),
    };
    const stat = (key: 'rooms' | 'members' | 'sites' | 'events' | 'deltas' | 'ignored') => () => h.hub?.stats()[key] ?? 0;
    const gauge = (name: string, help: string, read: () => number) =>
      new client.Gauge({
        name,
        help,
        registers: r,
        collect() {
          this.set(read());
        },
      });
    // Monotonic counts kept by the hub, exposed as counters.
    const counter = (name: string, help: string, read: () => number) =>
      new client.Counter({
        name,
        help,
        registers: r,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    gauge('sightline_live_rooms', 'Live rooms (site + filter) this node keeps', stat('rooms'));
    gauge('sightline_live_subscriptions', 'Sockets subscribed to a live room on this node', stat('members'));
    gauge('sightline_live_sites', 'Sites whose live window this node keeps', stat('sites'));
    counter('sightline_live_events_total', 'Events taken into live state', stat('events'));
    counter('sightline_live_deltas_total', 'Live deltas sent to rooms', stat('deltas'));
    counter('sightline_live_ignored_total', 'Stream events ignored: older than the node start or the window', stat('ignored'));
    return h;
  });
  holder.hub = hub;
}
