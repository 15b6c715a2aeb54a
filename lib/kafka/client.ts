/** kafkajs client and topic set-up shared by ingest (producer) and workers (consumer). */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Config } from '../config';
import { log } from '../log';

/**
 * `fastFail` is for ingest: while brokers are down a request must become a
 * quick 503, not hang through long reconnect backoffs.
 */
export function createKafka(config: Config, clientSuffix: string, fastFail = false): Kafka {
  const brokers = (config.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  return new Kafka({
    clientId: `${config.KAFKA_CLIENT_ID}-${clientSuffix}`,
    brokers,
    connectionTimeout: fastFail ? 1_000 : 3_000,
    requestTimeout: fastFail ? 5_000 : 30_000,
    retry: fastFail ? { retries: 2, initialRetryTime: 100, maxRetryTime: 500 } : { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log: entry }) => {
      const { message, ...extra } = entry;
      const fn = level <= logLevel.ERROR ? log.error.bind(log) : level === logLevel.WARN ? log.warn.bind(log) : log.debug.bind(log);
      fn({ kafka: namespace, ...extra }, message);
    },
  });
}

/** Creates the events and dead-letter topics if missing. kafkajs' CreateTopics has no broker defaults, so both counts are explicit. */
export async function ensureTopics(admin: Admin, config: Config): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [
    { topic: config.KAFKA_EVENTS_TOPIC, numPartitions: config.KAFKA_PARTITIONS },
    { topic: config.KAFKA_DLQ_TOPIC, numPartitions: 1 },
  ].filter((t) => !existing.has(t.topic));
  if (wanted.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: wanted.map((t) => ({ ...t, replicationFactor: config.KAFKA_REPLICATION_FACTOR })),
  });
  log.info({ topics: wanted.map((t) => t.topic) }, 'created Kafka topics');
}

/** Messages on the events topic carry a format version so workers can evolve. */
export const EVENT_MESSAGE_VERSION = 1;
export const eventKey = (site: string, visitor: string) => `${site}:${visitor}`;
