/**
 * The worker inside the web process (embedded default, no KAFKA_BROKERS):
 * ingest hands events over an in-process channel that batches concurrent
 * requests, and a request's promise resolves only once its batch is
 * committed to ClickHouse. Same EventStore as the Kafka consumer.
 */
import { Batcher } from '../lib/batcher';
import type { Config } from '../lib/config';
import type { EnrichedEvent } from '../lib/event/enriched';
import { SinkUnavailableError, type EventSink } from '../lib/ingest/sink';
import { metrics } from '../lib/metrics';
import type { EventStore } from './store';

export function createEmbeddedSink(store: EventStore, config: Config): EventSink {
  const sweep = setInterval(() => store.sessions.sweep(), 60_000);
  sweep.unref();
  const batcher = new Batcher<EnrichedEvent>({
    maxItems: config.BATCH_MAX_EVENTS,
    maxWaitMs: config.BATCH_MAX_WAIT_MS,
    // Inserts have a fixed cost (parts for the table and each view), so let a
    // few overlap rather than queue every request behind one.
    maxConcurrent: config.BATCH_MAX_CONCURRENT,
    flush: async (events) => {
      metrics.consumed.inc(events.length);
      try {
        await store.store(events);
      } catch (err) {
        throw new SinkUnavailableError('ClickHouse did not store the events', err);
      }
    },
  });
  return {
    kind: 'embedded',
    send: (events) => batcher.add(events),
    healthy: () => store.ping(),
    async close() {
      clearInterval(sweep);
      await batcher.drain();
    },
  };
}
