/**
 * Playwright fixture: a real Sightline server (Next.js + ingest + embedded
 * ClickHouse) running inside the Playwright worker process on a free port,
 * with a throw-away data directory. Tests reach ClickHouse through the same
 * process's client, since the server owns the chdb data directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect } from '@playwright/test';

export interface SightlineFixture {
  url: string;
  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  addSite(domain: string, opts?: { public?: boolean; timezone?: string }): Promise<void>;
  waitForRows<T>(sql: string, params: Record<string, unknown>, count: number, timeoutMs?: number): Promise<T[]>;
}

export const test = base.extend<object, { sightline: SightlineFixture }>({
  sightline: [
    async ({}, use) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-e2e-'));
      process.env.DATA_DIR = dataDir;
      process.env.LOG_LEVEL ??= 'warn';
      delete process.env.KAFKA_BROKERS;
      delete process.env.CLICKHOUSE_URL;
      // Imported after the environment is set: the runtime reads it once.
      const { startServer } = await import('../server');
      const { getRuntime } = await import('../lib/runtime');
      const { upsertSite } = await import('../db/sites');
      const server = await startServer({ port: 0, host: '127.0.0.1', dev: false });
      const rt = await getRuntime();
      const query = <T>(sql: string, params?: Record<string, unknown>) => rt.db.query<T>(sql, params);
      await use({
        url: server.url,
        query,
        async addSite(domain, opts = {}) {
          await upsertSite(rt.db, { domain, ...opts });
          await rt.sitesChanged();
        },
        async waitForRows<T>(sql: string, params: Record<string, unknown>, count: number, timeoutMs = 10_000) {
          const deadline = Date.now() + timeoutMs;
          let rows: T[] = [];
          while (Date.now() < deadline) {
            rows = await query<T>(sql, params);
            if (rows.length >= count) return rows;
            await new Promise((r) => setTimeout(r, 100));
          }
          throw new Error(`expected ${count} rows, got ${rows.length}: ${sql}`);
        },
      });
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

export { expect };
