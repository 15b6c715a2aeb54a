/**
 * The live tap: every worker also reads the events topic in a second
 * consumer group (`<KAFKA_GROUP_ID>-live`) and publishes each batch as live
 * deltas (lib/live/kafka.ts) the moment it arrives.
 *
 * Why not publish after the insert: a ClickHouse insert takes 100–400 ms per
 * batch with every rollup behind `events`, and Kafka hands a partition its
 * next batch only once the previous one is stored, so live numbers would
 * trail by one to two inserts (p99 ≈ 2 s measured). The tap never touches
 * ClickHouse, so its latency is a fetch and a produce.
 *
 * Visits: the tap keeps its own SessionTracker and, on a miss, asks the
 * store's tracker in the same process (memory only, never ClickHouse). Visit
 * ids are derived from a visit's first event, so the tap names the visits it
 * saw begin as the store does. A visit that began before the tap held its
 * partition (a start, a rebalance; and with several workers the two groups
 * may split partitions differently, so the store next door may not know the
 * visitor) is, for up to 30 minutes, counted in live views as a new visit
 * with the event's own source.
 *
 * Live is a view, best effort: a tap restart may publish a few events twice,
 * and events a worker later dead-letters still appear. Stored data is exactly
 * once either way; the live topic is never its source.
 */
import type { Consumer } from 'kafkajs';
import type { Config } from '../lib/config';
import type { EnrichedEvent } from '../lib/event/enriched';
import { createKafka } from '../lib/kafka/client';
import type { LivePublisher } from '../lib/live/kafka';
import { MINUTE_MS, WINDOW_MINUTES } from '../lib/live/protocol';
import { log } from '../lib/log';
import { decodeMessage } from './decode';
import { SessionTracker, type SessionLookup } from './sessions';

/** Events older than the live window are of no use to any live view. */
const TOO_OLD_MS = WINDOW_MINUTES * MINUTE_MS;

export interface LiveTap {
  consumer: Consumer;
  stop(): Promise<void>;
}

export function liveTapGroup(config: Config): string {
  return `${config.KAFKA_GROUP_ID}-live`;
}

/**
 * @param storeVisits the store's tracker, read on a miss (SessionTracker.known)
 * @param publisher   where deltas go (startLivePublisher)
 */
export async function startLiveTap(config: Config, storeVisits: SessionLookup, publisher: LivePublisher): Promise<LiveTap> {
  const tracker = new SessionTracker(storeVisits, Date.now, { lookupAlways: true });
  const kafka = createKafka(config, 'live-tap');
  const consumer = kafka.consumer({
    groupId: liveTapGroup(config),
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    minBytes: 1,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  consumer.on(consumer.events.CRASH, (e) => log.warn({ err: e.payload.error, restart: e.payload.restart }, 'live tap crashed'));
  await consumer.connect();
  // A new group starts at the end: live views want what happens now, and history comes from ClickHouse.
  await consumer.subscribe({ topic: config.KAFKA_EVENTS_TOPIC, fromBeginning: false });

  const sweep = setInterval(() => tracker.sweep(), 60_000);
  sweep.unref();

  await consumer.run({
    autoCommit: true,
    eachBatchAutoResolve: true,
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch }) => {
      const oldest = Date.now() - TOO_OLD_MS;
      const events: EnrichedEvent[] = [];
      for (const m of batch.messages) {
        const decoded = decodeMessage(m.value);
        // Poison is the store's to dead-letter; the tap only skips it.
        if (decoded.ok) for (const e of decoded.events) if (e.timestamp >= oldest) events.push(e);
      }
      if (events.length === 0) return;
      try {
        publisher.publish(await tracker.assign(events));
      } catch (err) {
        log.warn({ err, events: events.length }, 'live tap: a batch could not be published (live views miss it)');
      }
    },
  });
  log.info({ group: liveTapGroup(config), topic: config.KAFKA_EVENTS_TOPIC }, 'live tap started');
  return {
    consumer,
    async stop() {
      clearInterval(sweep);
      await consumer.disconnect();
    },
  };
}
