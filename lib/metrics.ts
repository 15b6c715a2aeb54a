/**
 * Prometheus metrics (prom-client), registered once per process via
 * processGlobal so route bundles and the custom server share them.
 */
import client from 'prom-client';
import { processGlobal } from './process-global';

function create() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    accepted: new client.Counter({ name: 'sightline_events_accepted_total', help: 'Events accepted by ingest (acknowledged 202)', registers: r }),
    dropped: new client.Counter({ name: 'sightline_events_dropped_total', help: 'Events dropped by ingest, by reason', labelNames: ['reason'], registers: r }),
    produced: new client.Counter({ name: 'sightline_events_produced_total', help: 'Events produced to Kafka', registers: r }),
    consumed: new client.Counter({ name: 'sightline_events_consumed_total', help: 'Events consumed by workers', registers: r }),
    inserted: new client.Counter({ name: 'sightline_events_inserted_total', help: 'Event rows inserted into ClickHouse', registers: r }),
    duplicates: new client.Counter({ name: 'sightline_events_duplicate_total', help: 'Redelivered events skipped because their id was already stored', registers: r }),
    deadLettered: new client.Counter({ name: 'sightline_events_dead_lettered_total', help: 'Messages sent to the dead-letter topic, by reason', labelNames: ['reason'], registers: r }),
    insertErrors: new client.Counter({ name: 'sightline_insert_errors_total', help: 'Failed ClickHouse inserts (retried)', registers: r }),
    consumerLag: new client.Gauge({ name: 'sightline_consumer_lag', help: 'Messages behind the partition high watermark', labelNames: ['partition'], registers: r }),
    ingestLatency: new client.Histogram({
      name: 'sightline_ingest_seconds',
      help: 'Time from request to durable acknowledgement',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: r,
    }),
    insertLatency: new client.Histogram({
      name: 'sightline_insert_seconds',
      help: 'ClickHouse insert time per batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: r,
    }),
  };
}

export type Metrics = ReturnType<typeof create>;
export const metrics: Metrics = processGlobal('metrics', create);
