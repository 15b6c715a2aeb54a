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
import { encodeEvent } from './event-codec';

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

  const batcher = new Batcher<EnrichedEvent>({
    maxItems: 2_000,
    maxWaitMs: config.PRODUCER_LINGER_MS,
    flush: async (events) => {
      try {
        await producer.send({
          topic: config.KAFKA_EVENTS_TOPIC,
          acks: -1,
          compression: CompressionTypes.GZIP,
          timeout: 3_000,
          messages: events.map((e) => ({
            key: eventKey(e.site_id, e.visitor_id),
            value: encodeEvent(e),
          })),
        });
      } catch (err) {
        throw new SinkUnavailableError('Kafka did not acknowledge the events', err);
      }
      metrics.produced.inc(events.length);
    },
  });

  return {
    kind: 'kafka',
    producer,
    send: (events) => batcher.add(events),
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
