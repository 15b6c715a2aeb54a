/**
 * The live service of a web process: one LiveHub, fed by the in-process
 * worker (embedded: EventStore.onStored) or by the `sightline.live` topic
 * (scale-out), with history rebuilt from ClickHouse for a node that started
 * less than 30 minutes ago. Created and closed by lib/runtime.ts; sockets are
 * attached by server.ts (lib/live/sockets.ts).
 */
import type { Db } from '../../db/client';
import type { EventStore } from '../../workers/store';
import type { Config } from '../config';
import { log } from '../log';
import { fromEventRow } from './event';
import { LiveHub } from './hub';
import { startLiveConsumer, type LiveConsumer } from './kafka';
import { observeLiveLag, registerLiveMetrics } from './metrics';
import { clickHouseHistory } from './rebuild';

export interface LiveService {
  hub: LiveHub;
  close(): Promise<void>;
}

export async function startLive(config: Config, db: Db, store: EventStore | null): Promise<LiveService> {
  const hub = new LiveHub({
    rebuild: clickHouseHistory(db),
    // Scale-out: give events already in flight when the consumer joined time to reach ClickHouse.
    rebuildDelayMs: store ? 0 : 3_000,
    // Embedded: every event committed from now on goes through onStored, so the stream starts now.
    boundary: store ? Date.now() : undefined,
    log,
  });
  registerLiveMetrics(hub);
  hub.onLag = (ms) => observeLiveLag(ms / 1000);
  let consumer: LiveConsumer | null = null;
  if (store) {
    store.onStored((rows) => {
      // Runs inside the store's commit path: a live-view bug must never fail ingest.
      try {
        hub.ingest(rows.map(fromEventRow));
      } catch (err) {
        log.error({ err }, 'live: ingest failed');
      }
    });
  } else if (config.kafka) {
    consumer = await startLiveConsumer(config, hub);
  }
  return {
    hub,
    async close() {
      hub.close();
      await consumer?.close();
    },
  };
}

export { LiveHub } from './hub';
