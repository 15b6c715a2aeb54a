/**
 * One Kafka worker, wired: the store (exactly-once inserts), the consumer
 * that feeds it, and the live tap that publishes deltas as events arrive.
 * workers/main.ts runs it as a process; benchmarks start it in theirs.
 */
import { openDb, type Db } from '../db/client';
import { migrate } from '../db/migrate';
import type { Config } from '../lib/config';
import { startLivePublisher } from '../lib/live/kafka';
import { startConsumer } from './consumer';
import { startLiveTap } from './live-tap';
import { EventStore } from './store';

export interface Worker {
  db: Db;
  store: EventStore;
  /** Finishes the running batch, commits, leaves both groups, closes ClickHouse. */
  stop(): Promise<void>;
}

export async function runWorker(config: Config): Promise<Worker> {
  const db = await openDb(config);
  await migrate(db);
  const store = new EventStore(db);
  // The consumer creates the topics the tap reads.
  const consumer = await startConsumer(config, store);
  // Live deltas go out as events arrive (a tap of their own, see live-tap.ts), not after the insert.
  const live = await startLivePublisher(config);
  const tap = await startLiveTap(config, store.sessions.known, live);
  return {
    db,
    store,
    async stop() {
      await consumer.stop();
      await tap.stop();
      await live.close();
      await db.close();
    },
  };
}
