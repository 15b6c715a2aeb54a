/**
 * Configuration, read once from environment variables. Every variable is
 * documented in the README; defaults give the embedded single-process mode.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .string()
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');
const int = (def: number) => z.coerce.number().int().nonnegative().default(def);

const schema = z.object({
  PORT: int(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  CLICKHOUSE_URL: z.string().url().optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('sightline'),
  EVENT_RETENTION_DAYS: int(0),
  EMBEDDED_MAX_MEMORY_MB: int(4096),

  KAFKA_BROKERS: z.string().optional(),
  KAFKA_CLIENT_ID: z.string().default('sightline'),
  KAFKA_EVENTS_TOPIC: z.string().default('sightline.events'),
  KAFKA_DLQ_TOPIC: z.string().default('sightline.events.dlq'),
  KAFKA_PARTITIONS: int(6),
  KAFKA_REPLICATION_FACTOR: int(1),
  KAFKA_GROUP_ID: z.string().default('sightline-workers'),
  PRODUCER_LINGER_MS: int(5),

  BATCH_MAX_EVENTS: int(5000),
  BATCH_MAX_WAIT_MS: int(10),
  BATCH_MAX_CONCURRENT: int(4),

  TRUST_PROXY: bool,
  GEOIP_DB: z.string().optional(),
});

export type Config = z.infer<typeof schema> & { embeddedClickHouse: boolean; kafka: boolean; dataDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  return {
    ...c,
    embeddedClickHouse: !c.CLICKHOUSE_URL,
    kafka: Boolean(c.KAFKA_BROKERS),
    dataDir: path.resolve(c.DATA_DIR),
  };
}
