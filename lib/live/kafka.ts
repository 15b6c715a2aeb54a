/**
 * Scale-out transport for live updates, over the `sightline.live` topic.
 *
 *   workers:   as each batch arrives (workers/live-tap.ts, before and
 *              apart from the ClickHouse insert), publishLiveDeltas(producer,
 *              rows) sends one compact message per site (lib/live/event.ts),
 *              best effort: a failure is logged, never thrown, and never
 *              holds up the worker's offsets.
 *   web nodes: startLiveConsumer joins a consumer group of its own (unique
 *              per process, so every node gets every message: broadcast),
 *              starts at the latest offset, and feeds the
 *              hub. The time it joined becomes the hub's boundary: older
 *              history comes from ClickHouse (lib/live/rebuild.ts).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { CompressionTypes, type Admin, type Consumer, type Producer } from 'kafkajs';
import type { Config } from '../config';
import type { EventRow } from '../event/enriched';
import { createKafka } from '../kafka/client';
import { log } from '../log';
import { decodeLiveMessage, encodeLiveMessages, fromEventRow } from './event';
import type { LiveHub } from './hub';

/** Topic name: KAFKA_LIVE_TOPIC, default `sightline.live`. */
export function liveTopic(env: NodeJS.ProcessEnv = process.env): string {
  return env.KAFKA_LIVE_TOPIC || 'sightline.live';
}

/** Live messages are only useful for seconds: keep them an hour at most. */
const LIVE_RETENTION_MS = String(60 * 60_000);

/** Creates the live topic if missing (1 partition: every web node reads all of it anyway). */
export async function ensureLiveTopic(admin: Admin, config: Config, topic = liveTopic()): Promise<void> {
  const existing = new Set(await admin.listTopics());
  if (existing.has(topic)) return;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 1,
          replicationFactor: config.KAFKA_REPLICATION_FACTOR,
          configEntries: [
            { name: 'retention.ms', value: LIVE_RETENTION_MS },
            { name: 'cleanup.policy', value: 'delete' },
          ],
        },
      ],
    });
    log.info({ topic }, 'created Kafka topic for live updates');
  } catch (err) {
    // Another process may have created it in between.
    if (!(await admin.listTopics()).includes(topic)) throw err;
  }
}

/**
 * Publishes the live view of a batch: one message per site.
 * Never rejects. Works with any producer (acks −1 satisfies an idempotent one).
 */
export async function publishLiveDeltas(producer: Producer, rows: readonly EventRow[], topic = liveTopic()): Promise<void> {
  if (rows.length === 0) return;
  try {
    await producer.send({
      topic,
      acks: -1,
      // Uncompressed: the messages are small (dictionary-encoded) and live for
      // seconds, and gzip would cost CPU on every worker and every web node.
      compression: CompressionTypes.None,
      timeout: 5_000,
      messages: encodeLiveMessages(rows.map(fromEventRow)),
    });
  } catch (err) {
    log.warn({ err, rows: rows.length }, 'live: could not publish a batch to Kafka (live views miss it; stored data is unaffected)');
  }
}

export interface LivePublisher {
  /** Fire and forget: call with every batch the live tap has assigned to visits. */
  publish(rows: readonly EventRow[]): void;
  close(): Promise<void>;
}

/** A producer of its own for live messages, so they never queue behind the worker's other sends. */
export async function startLivePublisher(config: Config): Promise<LivePublisher> {
  const kafka = createKafka(config, 'live-publisher');
  const admin = kafka.admin();
  await admin.connect();
  await ensureLiveTopic(admin, config);
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 2 } });
  await producer.connect();
  const inflight = new Set<Promise<void>>();
  return {
    publish(rows) {
      const p = publishLiveDeltas(producer, rows);
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    },
    async close() {
      await Promise.all(inflight);
      await producer.disconnect();
    },
  };
}

export interface LiveConsumer {
  consumer: Consumer;
  groupId: string;
  close(): Promise<void>;
}

/** Feeds the hub from the live topic, in a consumer group of this process alone. */
export async function startLiveConsumer(config: Config, hub: LiveHub): Promise<LiveConsumer> {
  const kafka = createKafka(config, 'live');
  const admin = kafka.admin();
  await admin.connect();
  await ensureLiveTopic(admin, config);
  await admin.disconnect();

  const groupId = `${config.KAFKA_CLIENT_ID}-live-${os.hostname()}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    // Deliver as soon as anything is there.
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  consumer.on(consumer.events.GROUP_JOIN, () => hub.setBoundary(Date.now()));
  consumer.on(consumer.events.CRASH, (e) => log.warn({ err: e.payload.error, restart: e.payload.restart }, 'live consumer crashed'));
  await consumer.connect();
  await consumer.subscribe({ topic: liveTopic(), fromBeginning: false });
  await consumer.run({
    // Commits only matter within this process: after a rejoin (broker outage) it resumes where it was.
    autoCommit: true,
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const events = decodeLiveMessage(m.value);
        if (events) hub.ingest(events);
        else log.warn({ offset: m.offset }, 'live: undecodable message skipped');
      }
    },
  });
  log.info({ groupId, topic: liveTopic() }, 'live consumer started');
  return {
    consumer,
    groupId,
    close: () => consumer.disconnect(),
  };
}
