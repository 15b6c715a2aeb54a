/**
 * Scale-out mode against a real Kafka broker: a web node and a worker as
 * separate processes. Nothing lost, nothing double-counted: redelivery,
 * a worker killed mid-stream, poison messages, a broker outage.
 *
 * Without a ClickHouse server here, each process uses its own embedded
 * data dir (the web node's holds sites and salts, the worker's the events);
 * the worker's rows are counted once it has stopped.
 */
import crypto from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrichedEvent } from '../../lib/event/enriched';
import {
  addSite,
  BROWSER_UA,
  metricValue,
  openDataDir,
  postPageviews,
  startBroker,
  startWeb,
  startWorker,
  tempDir,
  waitFor,
  type Broker,
  type WebNode,
  type WorkerNode,
} from './support/processes';

const TOPIC = 'sightline.events';
const DLQ = 'sightline.events.dlq';
const GROUP = 'sightline-workers';
const expected: Record<string, number> = {};

let broker: Broker;
let web: WebNode;
let worker: WorkerNode;
let workerDir: string;
let env: Record<string, string>;
let kafka: Kafka;

function event(site: string, i: number): EnrichedEvent {
  return {
    event_id: crypto.randomUUID(),
    site_id: site,
    timestamp: Date.now(),
    name: 'pageview',
    visitor_id: String(1000 + i),
    prev_visitor_id: String(2000 + i),
    hostname: site,
    pathname: `/p/${i}`,
    referrer: '',
    referrer_source: '',
    channel: 'Direct',
    utm_source: '',
    utm_medium: '',
    utm_campaign: '',
    utm_content: '',
    utm_term: '',
    country_code: 'DE',
    region: '',
    city: '',
    browser: 'Firefox',
    browser_version: '130.0',
    os: 'Linux',
    os_version: '',
    device: 'Desktop',
    screen_width: 1280,
    props: {},
    revenue_amount: null,
    revenue_currency: '',
    interactive: true,
    engagement_ms: 0,
    scroll_depth: 0,
  };
}

/** True once the group has committed every message of the events topic. */
async function caughtUp(): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(TOPIC);
    const [committed] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    return ends.every((end) => {
      const c = committed?.partitions.find((p) => p.partition === end.partition);
      return Number(end.high) === 0 || (c !== undefined && Number(c.offset) >= Number(end.high));
    });
  } finally {
    await admin.disconnect();
  }
}

const waitCaughtUp = () => waitFor('worker to commit everything', caughtUp, 120_000);

beforeAll(async () => {
  broker = await startBroker();
  env = { KAFKA_BROKERS: broker.brokers, KAFKA_PARTITIONS: '4' };
  kafka = new Kafka({ clientId: 'test', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  web = await startWeb(env);
  workerDir = tempDir('worker');
  worker = await startWorker({ ...env, DATA_DIR: workerDir });
  for (const site of ['a.test', 'd.test', 'e.test']) await addSite(web, site);
});

afterAll(async () => {
  await worker?.stop(true);
  await web?.stop(true);
  await broker?.destroy();
});

describe('Kafka pipeline', () => {
  it('acknowledges posted events only once Kafka has them, and the worker stores them', async () => {
    const single = await postPageviews(web.url, 'a.test', 300, 1);
    const batched = await postPageviews(web.url, 'a.test', 300, 20);
    expect([...single, ...batched].every((s) => s === 202)).toBe(true);
    expected['a.test'] = 600;
    await waitCaughtUp();
    expect(await metricValue(worker.metricsUrl, 'sightline_events_inserted_total')).toBe(600);
  });

  it('does not double-count the same messages delivered twice', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const events = Array.from({ length: 100 }, (_, i) => event('b.test', i));
    const messages = events.map((e) => ({ key: `b.test:${e.visitor_id}`, value: JSON.stringify({ v: 1, ...e }) }));
    await producer.send({ topic: TOPIC, messages });
    await producer.send({ topic: TOPIC, messages });
    await producer.disconnect();
    expected['b.test'] = 100;
    await waitCaughtUp();
    expect(await metricValue(worker.metricsUrl, 'sightline_events_duplicate_total')).toBe(100);
  });

  it('dead-letters poison messages and keeps consuming the partition', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const good = Array.from({ length: 10 }, (_, i) => event('c.test', i));
    await producer.send({
      topic: TOPIC,
      messages: [
        { key: 'c.test:1', value: 'not json at all' },
        { key: 'c.test:1', value: JSON.stringify({ v: 1, site_id: 'c.test' }) },
        { key: 'c.test:1', value: JSON.stringify({ v: 99, ...good[0] }) },
        ...good.map((e) => ({ key: 'c.test:1', value: JSON.stringify({ v: 1, ...e }) })),
      ],
    });
    await producer.disconnect();
    expected['c.test'] = 10;
    await waitCaughtUp();

    const consumer = kafka.consumer({ groupId: `dlq-reader-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: DLQ, fromBeginning: true });
    const dead: { value: string; reason: string; offset: string }[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        dead.push({ value: message.value!.toString(), reason: String(message.headers?.reason), offset: String(message.headers?.source_offset) });
      },
    });
    await waitFor('three dead letters', async () => dead.length >= 3, 30_000);
    await consumer.disconnect();
    expect(dead.map((d) => d.reason)).toEqual(['decode', 'decode', 'decode']);
    expect(dead[0]!.value).toBe('not json at all');
  });

  it('stores exactly N events when a worker is killed mid-stream and restarted', async () => {
    const posting = postPageviews(web.url, 'd.test', 3000, 10, 4);
    await waitFor('worker to be mid-stream', async () => (await metricValue(worker.metricsUrl, 'sightline_events_inserted_total')) > 1000, 60_000);
    await worker.stop(true);
    const statuses = await posting;
    expect(statuses.every((s) => s === 202)).toBe(true);
    expected['d.test'] = 3000;
    worker = await startWorker({ ...env, DATA_DIR: workerDir });
    await waitCaughtUp();
  });

  it('answers 503 while the broker is down and recovers once it is back', async () => {
    await broker.stop();
    const down = await fetch(`${web.url}/api/event`, {
      method: 'POST',
      headers: { 'user-agent': BROWSER_UA },
      body: JSON.stringify({ n: 'pageview', u: 'https://e.test/', d: 'e.test' }),
    });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(((await down.json()) as { error: string }).error).toBe('unavailable');

    await broker.restart();
    await waitFor('ingest to recover', async () => (await postPageviews(web.url, 'e.test', 1, 1))[0] === 202, 60_000);
    const after = await postPageviews(web.url, 'e.test', 49, 7);
    expect(after.every((s) => s === 202)).toBe(true);
    expected['e.test'] = 50;
    await waitCaughtUp();
  });

  it('holds exactly the acknowledged events, each once', async () => {
    expect(await worker.stop()).toBe(0);
    const db = await openDataDir(workerDir);
    try {
      const rows = await db.query<{ site: string; rows: string; ids: string }>(
        'SELECT site_id AS site, count() AS rows, uniqExact(event_id) AS ids FROM events GROUP BY site_id ORDER BY site_id',
      );
      expect(rows).toEqual(Object.entries(expected).sort().map(([site, n]) => ({ site, rows: String(n), ids: String(n) })));
    } finally {
      await db.close();
    }
  });
});
