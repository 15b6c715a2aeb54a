/**
 * Process-wide state: the ClickHouse client, the event sink, caches. Kept on
 * a global symbol (processGlobal) so the custom server and the route bundles
 * Next.js compiles share one instance in one process.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { openDb, type Db } from '../db/client';
import { migrate } from '../db/migrate';
import { applyRetention } from '../db/retention';
import { saltStorage } from '../db/salts';
import { listDomains } from '../db/sites';
import { invalidateAuthCache } from './auth/cache';
import { createEmbeddedSink } from '../workers/embedded';
import { EventStore } from '../workers/store';
import { loadConfig, type Config } from './config';
import { openGeo, type GeoLookup } from './ingest/steps/geo';
import { SaltStore } from './ingest/steps/salts';
import type { EventSink } from './ingest/sink';
import { SiteRegistry } from './ingest/sites';
import { createKafkaSink } from './kafka/producer';
import { startLive, type LiveService } from './live';
import { log } from './log';
import { processGlobal } from './process-global';

export interface Runtime {
  config: Config;
  db: Db;
  sink: EventSink;
  sites: SiteRegistry;
  salts: SaltStore;
  geo: GeoLookup;
  /** Present in embedded mode, where the worker runs in this process. */
  store: EventStore | null;
  /** Live counters (lib/live): fed by `store` (embedded) or the live Kafka topic (scale-out). */
  live: LiveService;
  /**
   * Call after adding, changing or deleting a site on this node: ingest's
   * site list and the access checks' cache both see it at once (other nodes
   * within their cache lifetimes).
   */
  sitesChanged(): Promise<void>;
  /** Token for loopback admin calls from the CLI (embedded mode owns the data dir). */
  adminToken: string;
  close(): Promise<void>;
}

interface Holder {
  promise: Promise<Runtime> | null;
}

const holder = processGlobal<Holder>('runtime', () => ({ promise: null }));

/** The process's runtime, started on first use. */
export function getRuntime(): Promise<Runtime> {
  holder.promise ??= startRuntime(loadConfig());
  return holder.promise;
}

export async function closeRuntime(): Promise<void> {
  const p = holder.promise;
  holder.promise = null;
  if (p) await (await p).close();
}

async function startRuntime(config: Config): Promise<Runtime> {
  const db = await openDb(config);
  const applied = await migrate(db);
  if (applied.length) log.info({ applied }, 'applied migrations');
  const retention = await applyRetention(db, config.EVENT_RETENTION_DAYS);
  if (retention.length) log.info({ tables: retention, days: config.EVENT_RETENTION_DAYS }, 'changed retention TTL');

  const store = config.kafka ? null : new EventStore(db);
  const sink = store ? createEmbeddedSink(store, config) : await createKafkaSink(config);
  const sites = new SiteRegistry(() => listDomains(db));
  await sites.reload();
  // Live counters: created before the server listens, so every committed event reaches them.
  const live = await startLive(config, db, store);
  const adminToken = crypto.randomBytes(24).toString('base64url');

  log.info(
    { clickhouse: config.CLICKHOUSE_URL ? 'server' : `embedded (${config.dataDir})`, kafka: config.kafka ? config.KAFKA_BROKERS : 'off (in-process)' },
    'runtime started',
  );
  return {
    config,
    db,
    sink,
    sites,
    salts: new SaltStore(saltStorage(db)),
    geo: await openGeo(config.GEOIP_DB),
    store,
    live,
    adminToken,
    async sitesChanged() {
      await sites.reload();
      invalidateAuthCache();
    },
    async close() {
      await live.close();
      await sink.close();
      await db.close();
    },
  };
}

/** The CLI finds the running server through this file (owner-only permissions). */
export function adminTokenPath(config: Config): string {
  return path.join(config.dataDir, 'admin.json');
}

export function writeAdminToken(config: Config, token: string, port: number): void {
  fs.writeFileSync(adminTokenPath(config), JSON.stringify({ token, port, pid: process.pid }), { mode: 0o600 });
}
