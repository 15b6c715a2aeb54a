/**
 * npm run bench:ingest — events/s accepted and stored end to end.
 *
 * Scale-out: a Sightline web node + a worker (separate processes) against a
 * real Kafka broker, beside a bare Node http server that only produces to
 * Kafka, in the same run. Embedded default: one web process with chdb.
 * Loads: single-event requests and 20-event batches, autocannon with 50
 * connections for DURATION seconds (default 15). Prints a table and the
 * Sightline / bare ratio (target ≥ 0.5).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import {
  addSite,
  freePort,
  metricValue,
  startBroker,
  startWeb,
  startWorker,
  waitFor,
} from '../../test/integration/support/processes';

const DURATION = Number(process.env.DURATION ?? 15);
const CONNECTIONS = 50;
const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const DOMAIN = 'bench.test';

const one = (i: number) => ({ n: 'pageview', u: `https://${DOMAIN}/page/${i % 50}`, d: DOMAIN, r: 'https://www.google.com/', w: 1440 });
const BODIES = {
  single: JSON.stringify(one(1)),
  batch20: JSON.stringify(Array.from({ length: 20 }, (_, i) => one(i))),
};
type Load = keyof typeof BODIES;
const perRequest: Record<Load, number> = { single: 1, batch20: 20 };

async function load(url: string, kind: Load): Promise<{ acceptedEvents: number; seconds: number; non202: number; p99: number }> {
  const result = await autocannon({
    url: `${url}/api/event`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { 'content-type': 'text/plain', 'user-agent': UA },
    body: BODIES[kind],
  });
  const ok = result.statusCodeStats?.['202' as keyof typeof result.statusCodeStats]?.count ?? 0;
  return { acceptedEvents: ok * perRequest[kind], seconds: DURATION, non202: result.non2xx + result.errors, p99: result.latency.p99 };
}

const rows: string[][] = [];
const row = (...cells: (string | number)[]) => rows.push(cells.map(String));
const rate = (n: number, s: number) => Math.round(n / s);

async function main() {
  const broker = await startBroker();
  const env = { KAFKA_BROKERS: broker.brokers, KAFKA_PARTITIONS: '4', LOG_LEVEL: 'error' };
  const results: Record<string, number> = {};
  try {
    // Bare baseline.
    const barePort = await freePort();
    const bare = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/bare-producer.ts'], {
      env: { ...process.env, ...env, PORT: String(barePort) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => bare.stdout!.once('data', () => resolve()));
    for (const kind of ['single', 'batch20'] as Load[]) {
      const r = await load(`http://127.0.0.1:${barePort}`, kind);
      results[`bare.${kind}`] = rate(r.acceptedEvents, r.seconds);
      row('bare http → Kafka', kind, rate(r.acceptedEvents, r.seconds), '-', r.p99, r.non202);
    }
    bare.kill('SIGTERM');

    // Sightline ingest alone (no worker competing for the two cores): the
    // like-for-like comparison with the bare server.
    const web = await startWeb(env);
    await addSite(web, DOMAIN);
    let backlog = 0;
    for (const kind of ['single', 'batch20'] as Load[]) {
      const r = await load(web.url, kind);
      backlog += r.acceptedEvents;
      results[`ingest.${kind}`] = rate(r.acceptedEvents, r.seconds);
      row('Sightline ingest → Kafka (worker off)', kind, rate(r.acceptedEvents, r.seconds), '-', r.p99, r.non202);
    }

    // Sightline end to end: the worker drains the backlog above first.
    const worker = await startWorker(env);
    await waitFor('worker to drain the backlog', async () => (await metricValue(worker.metricsUrl, 'sightline_events_inserted_total')) >= backlog, 600_000);
    let storedBefore = await metricValue(worker.metricsUrl, 'sightline_events_inserted_total');
    for (const kind of ['single', 'batch20'] as Load[]) {
      const started = Date.now();
      const r = await load(web.url, kind);
      const target = storedBefore + r.acceptedEvents;
      await waitFor('worker to store everything', async () => (await metricValue(worker.metricsUrl, 'sightline_events_inserted_total')) >= target, 600_000);
      const storedSeconds = (Date.now() - started) / 1000;
      storedBefore = target;
      results[`kafka.${kind}`] = rate(r.acceptedEvents, r.seconds);
      row('Sightline → Kafka → worker → ClickHouse', kind, rate(r.acceptedEvents, r.seconds), rate(r.acceptedEvents, storedSeconds), r.p99, r.non202);
    }
    await worker.stop();
    await web.stop();

    // Embedded default: 202 means committed to ClickHouse.
    const embedded = await startWeb({ LOG_LEVEL: 'error' });
    await addSite(embedded, DOMAIN);
    for (const kind of ['single', 'batch20'] as Load[]) {
      const r = await load(embedded.url, kind);
      results[`embedded.${kind}`] = rate(r.acceptedEvents, r.seconds);
      row('Sightline embedded (chdb in-process)', kind, rate(r.acceptedEvents, r.seconds), rate(r.acceptedEvents, r.seconds), r.p99, r.non202);
    }
    await embedded.stop();
  } finally {
    await broker.destroy();
  }

  const header = ['setup', 'load', 'accepted events/s', 'stored events/s', 'p99 ms', 'non-202'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`\nIngest benchmark — ${CONNECTIONS} connections, ${DURATION}s per load, ${os.cpus().length} cores\n`);
  console.log(fmt(header));
  for (const r of rows) console.log(fmt(r));
  for (const kind of ['single', 'batch20']) {
    const ratio = results[`ingest.${kind}`]! / results[`bare.${kind}`]!;
    console.log(`ratio Sightline ingest / bare (${kind}): ${ratio.toFixed(2)} (target ≥ 0.50)`);
  }
  fs.mkdirSync('test-results', { recursive: true });
  fs.writeFileSync(path.join('test-results', 'bench-ingest.json'), JSON.stringify({ rows, results }, null, 2));
}

await main();
process.exit(0);
