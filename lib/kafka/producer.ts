/**
 * Kafka sink for ingest: an idempotent producer (acks = all, gzip) behind an
 * in-app micro-batcher, since kafkajs has no linger setting and one HTTP
 * request must not cost one broker round trip. Messages are keyed by
 * site + visitor so one visitor's events stay in order on one partition.
 */
import { CompressionTypes, Partitioners, type Producer } from 'kafkajs';
import type { Config } from '../config';
import type { EnrichedEvent } from '../event/enriched';
import { Batcher } from '../batcher';
import { SinkUnavailableError, type EventSink } from '../ingest/sink';
import { metrics } from '../metrics';
import { createKafka, ensureTopics, eventKey } from './client';
import { encodeEvents } from './event-codec';

interface KafkaRecord {
  key: string;
  value: string;
  events: number;
}

/** One record per key (site + visitor) and request: a request's events share a sender. */
function toRecords(events: EnrichedEvent[]): KafkaRecord[] {
  const byKey = new Map<string, EnrichedEvent[]>();
  for (const e of events) {
    const key = eventKey(e.site_id, e.visitor_id);
    const group = byKey.get(key);
    if (group) group.push(e);
    else byKey.set(key, [e]);
  }
  return [...byKey].map(([key, group]) => ({ key, value: encodeEvents(group), events: group.length }));
}

export async function createKafkaSink(config: Config): Promise<EventSink & { producer: Producer }> {
  const kafka = createKafka(config, 'ingest', true);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, config);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();

  const batcher = new Batcher<KafkaRecord>({
    maxItems: 2_000,
    maxWaitMs: config.PRODUCER_LINGER_MS,
    flush: async (records) => {
      try {
        await producer.send({
          topic: config.KAFKA_EVENTS_TOPIC,
          acks: -1,
          compression: CompressionTypes.GZIP,
          timeout: 3_000,
          messages: records.map(({ key, value }) => ({ key, value })),
        });
      } catch (err) {
        throw new SinkUnavailableError('Kafka did not acknowledge the events', err);
      }
      metrics.produced.inc(records.reduce((n, r) => n + r.events, 0));
    },
  });

  return {
    kind: 'kafka',
    producer,
    send: (events) => batcher.add(toRecords(events)),
    healthy: () =>
      withTimeout(admin.describeCluster(), 2_000).then(
        (c) => c.brokers.length > 0,
        () => false,
      ),
    async close() {
      await batcher.drain();
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
