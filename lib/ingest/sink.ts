/**
 * Where ingest hands accepted events. `send` resolves only once the events
 * are durable: in Kafka (scale-out) or committed to ClickHouse (embedded).
 */
import type { EnrichedEvent } from '../event/enriched';

export interface EventSink {
  readonly kind: 'kafka' | 'embedded';
  send(events: EnrichedEvent[]): Promise<void>;
  /** Whether the durable side answers (Kafka brokers, or ClickHouse when embedded). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** The sink cannot take events right now; ingest answers 503 + Retry-After. */
export class SinkUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'SinkUnavailableError';
  }
}
