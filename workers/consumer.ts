/**
 * The Kafka worker: a consumer group reading the events topic with
 * eachBatch. For every chunk of a batch it stores the events (EventStore
 * drops redelivered ids), and only then resolves and commits the offsets, so
 * a crash at any point means redelivery, never loss.
 *
 * - ClickHouse down: retry with backoff, heartbeating, until it answers;
 *   the partition waits, nothing is dead-lettered.
 * - ClickHouse up but a chunk keeps failing: insert one event at a time and
 *   dead-letter the ones that fail (poison), so the partition moves on.
 * - Undecodable messages: dead-lettered at once.
 * - SIGTERM: kafkajs finishes the running batch, commits, leaves the group.
 */
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import type { Config } from '../lib/config';
import type { EnrichedEvent } from '../lib/event/enriched';
import { createKafka, ensureTopics } from '../lib/kafka/client';
import { log } from '../lib/log';
import { metrics } from '../lib/metrics';
import { decodeMessage } from './decode';
import type { EventStore } from './store';

const CHUNK = 5_000;
const YIELD_EVERY = 250;
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));
const FAILURES_BEFORE_ISOLATING = 3;

export interface ConsumerHandle {
  consumer: Consumer;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startConsumer(config: Config, store: EventStore): Promise<ConsumerHandle> {
  const kafka = createKafka(config, 'worker');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, config);
  await admin.disconnect();

  const dlq = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await dlq.connect();

  const consumer = kafka.consumer({
    groupId: config.KAFKA_GROUP_ID,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    // kafkajs decodes a whole fetch at once; smaller fetches keep the event
    // loop (which the live tap shares) free within tens of milliseconds.
    maxBytesPerPartition: 1024 * 1024,
    // Live counters wait on this path: return a fetch as soon as anything arrives.
    minBytes: 1,
    maxWaitTimeInMs: 250,
    allowAutoTopicCreation: false,
  });
  // Partitions whose first batch since the last (re)assignment has not been
  // stored yet: that batch may repeat a dead worker's last insert.
  const unverified = new Set<number>();
  // A (re)assignment may hand us visitors whose open visit another worker saw.
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    store.sessions.markCold();
    unverified.clear();
    for (const p of e.payload.memberAssignment[config.KAFKA_EVENTS_TOPIC] ?? []) unverified.add(p);
    log.info({ memberId: e.payload.memberId, assignment: e.payload.memberAssignment }, 'joined consumer group');
  });
  consumer.on(consumer.events.CRASH, (e) => {
    log.warn({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
    // kafkajs restarts itself after retriable errors; otherwise let the supervisor restart the process.
    if (!e.payload.restart) process.exit(1);
  });
  await consumer.connect();
  await consumer.subscribe({ topic: config.KAFKA_EVENTS_TOPIC, fromBeginning: true });

  const sweep = setInterval(() => store.sessions.sweep(), 60_000);
  sweep.unref();

  await consumer.run({
    eachBatchAutoResolve: false,
    autoCommit: true,
    partitionsConsumedConcurrently: 2,
    eachBatch: (payload) => handleBatch(payload, store, dlq, config, unverified),
  });

  return {
    consumer,
    async stop() {
      clearInterval(sweep);
      await consumer.disconnect();
      await dlq.disconnect();
    },
  };
}

async function handleBatch(
  payload: EachBatchPayload,
  store: EventStore,
  dlq: Producer,
  config: Config,
  unverified: Set<number>,
): Promise<void> {
  const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
  const thorough = unverified.has(batch.partition);
  metrics.consumerLag.set({ partition: String(batch.partition) }, Number(batch.offsetLag()));
  for (let i = 0; i < batch.messages.length && isRunning() && !isStale(); i += CHUNK) {
    const messages = batch.messages.slice(i, i + CHUNK);
    const events: EnrichedEvent[] = [];
    const source = new Map<string, KafkaMessage>();
    const poison: { message: KafkaMessage; reason: string; error: string }[] = [];
    for (const [n, message] of messages.entries()) {
      // Decoding thousands of events is CPU work: let the live tap's fetches in between.
      if (n > 0 && n % YIELD_EVERY === 0) await yieldToEventLoop();
      const decoded = decodeMessage(message.value);
      if (decoded.ok) {
        for (const event of decoded.events) {
          events.push(event);
          source.set(event.event_id, message);
        }
      } else poison.push({ message, reason: 'decode', error: decoded.error });
    }
    metrics.consumed.inc(events.length);

    const failed = await storeWithRetry(events, store, thorough, heartbeat, () => isRunning() && !isStale());
    if (failed === null) return; // stopping or partition revoked: leave offsets unresolved for redelivery
    // A record holding several events is dead-lettered once, whole (its stored events are skipped on replay).
    const failedRecords = new Set(failed.events.map((e) => source.get(e.event_id)!));
    for (const message of failedRecords) poison.push({ message, reason: 'insert', error: failed.error });
    if (poison.length > 0) await deadLetter(dlq, config, batch.topic, batch.partition, poison);

    resolveOffset(messages[messages.length - 1]!.offset);
    await heartbeat();
    await commitOffsetsIfNecessary();
  }
  if (isRunning() && !isStale()) unverified.delete(batch.partition);
}

/**
 * Stores events, retrying while ClickHouse is unavailable. Returns the
 * events that could not be stored although ClickHouse answers (poison),
 * or null when the consumer should stop working on this batch.
 */
async function storeWithRetry(
  events: EnrichedEvent[],
  store: EventStore,
  thorough: boolean,
  heartbeat: () => Promise<void>,
  active: () => boolean,
): Promise<{ events: EnrichedEvent[]; error: string } | null> {
  let failures = 0;
  for (let delay = 200; active(); delay = Math.min(delay * 2, 10_000)) {
    try {
      // After a failure the insert may have landed in part: check the table of record.
      await store.store(events, { thorough: thorough || failures > 0 });
      return { events: [], error: '' };
    } catch (err) {
      failures++;
      const reachable = await store.ping();
      log.warn({ err, failures, reachable, events: events.length }, 'storing a batch failed; retrying');
      if (reachable && failures >= FAILURES_BEFORE_ISOLATING) return storeOneByOne(events, store);
    }
    await heartbeat().catch(() => undefined);
    await sleep(delay);
  }
  return null;
}

async function storeOneByOne(events: EnrichedEvent[], store: EventStore): Promise<{ events: EnrichedEvent[]; error: string }> {
  const failed: EnrichedEvent[] = [];
  let error = '';
  for (const event of events) {
    try {
      await store.store([event], { thorough: true });
    } catch (err) {
      failed.push(event);
      error = (err as Error).message.slice(0, 500);
    }
  }
  return { events: failed, error };
}

async function deadLetter(
  dlq: Producer,
  config: Config,
  topic: string,
  partition: number,
  poison: { message: KafkaMessage; reason: string; error: string }[],
): Promise<void> {
  await dlq.send({
    topic: config.KAFKA_DLQ_TOPIC,
    acks: -1,
    messages: poison.map(({ message, reason, error }) => ({
      key: message.key,
      value: message.value,
      headers: {
        reason,
        error: error.slice(0, 500),
        source_topic: topic,
        source_partition: String(partition),
        source_offset: message.offset,
      },
    })),
  });
  for (const p of poison) metrics.deadLettered.inc({ reason: p.reason });
  log.warn({ count: poison.length, reasons: [...new Set(poison.map((p) => p.reason))] }, 'dead-lettered messages');
}
