/**
 * The one way into ClickHouse: `@clickhouse/client`, pointed at a server
 * (CLICKHOUSE_URL) or at the embedded engine (chdb) in DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../lib/config';

export interface Db {
  client: ClickHouseClient;
  embedded: boolean;
  /** Parameterised query returning JSON rows; values go only through `{name:Type}` parameters. */
  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  command(sql: string, params?: Record<string, unknown>): Promise<void>;
  /**
   * Inserts rows. `dedupToken` makes a retried insert of the same block a
   * no-op (ClickHouse insert deduplication), including its materialized views.
   */
  insert(table: string, rows: readonly object[], dedupToken?: string): Promise<void>;
  close(): Promise<void>;
}

export async function openDb(config: Config): Promise<Db> {
  const client = config.CLICKHOUSE_URL ? serverClient(config) : await embeddedClient(config);
  const embedded = !config.CLICKHOUSE_URL;
  const db: Db = {
    client,
    embedded,
    async query<T>(sql: string, params?: Record<string, unknown>) {
      // One JSONCompact document, parsed once: JSONEachRow's row-by-row
      // stream parse costs ~4 µs a row, more than the query itself for a
      // few thousand rows (see db/stats/README.md "Measured").
      const rs = await client.query({ query: sql, query_params: params, format: 'JSONCompact' });
      return rowObjects<T>(await rs.json<unknown[]>());
    },
    async command(sql, params) {
      await client.command({ query: sql, query_params: params });
    },
    async insert(table, rows, dedupToken) {
      if (rows.length === 0) return;
      await client.insert({
        table,
        values: rows as object[],
        format: 'JSONEachRow',
        // Always sent, even empty: the embedded connection applies settings
        // as session-wide SETs, so a token left over from the previous insert
        // would otherwise silently deduplicate (drop) this one.
        clickhouse_settings: { insert_deduplication_token: dedupToken ?? '' },
      });
    },
    close: () => client.close(),
  };
  if (embedded) await applyEmbeddedDefaults(db, config.EMBEDDED_MAX_MEMORY_MB);
  return db;
}

function serverClient(config: Config): ClickHouseClient {
  return createClient({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    database: config.CLICKHOUSE_DATABASE,
    request_timeout: 60_000,
    compression: { request: true, response: true },
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
}

async function embeddedClient(config: Config): Promise<ClickHouseClient> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  // chdb is loaded lazily so scale-out processes never map its native library.
  const { createChdbConnection } = await import('chdb/connection');
  const connection = createChdbConnection({ path: path.join(config.dataDir, 'clickhouse') });
  return createClient({ connection } as Parameters<typeof createClient>[0]);
}

/**
 * The embedded engine shares the web process: bound a query's memory. chdb
 * keeps no system log tables (query_log etc.), so there are none to trim;
 * query logging is switched off as it only costs time.
 */
async function applyEmbeddedDefaults(db: Db, maxMemoryMb: number): Promise<void> {
  await db.command(`SET max_memory_usage = ${Math.floor(maxMemoryMb) * 1024 * 1024}`);
  await db.command(`SET log_queries = 0`);
  await db.command(`SET date_time_input_format = 'best_effort'`);
  // Same as a ClickHouse server's HTTP default: 64-bit integers as JSON strings, no precision loss.
  await db.command(`SET output_format_json_quote_64bit_integers = 1`);
}

/** JSONCompact rows (arrays in column order) → objects keyed by column name. */
function rowObjects<T>({ meta = [], data }: { meta?: { name: string }[]; data: unknown[][] }): T[] {
  const names = meta.map((m) => m.name);
  return data.map((row) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) o[names[i]!] = row[i];
    return o as T;
  });
}

/** Epoch ms → 'YYYY-MM-DD hh:mm:ss.sss' (UTC), the DateTime64 text ClickHouse parses unambiguously. */
export function toClickHouseTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
