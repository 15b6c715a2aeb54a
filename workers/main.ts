/**
 * `npm run worker`: one Kafka worker process (scale-out mode). Run as many
 * as there are partitions to share; they form one consumer group.
 * Serves /metrics and /health on WORKER_METRICS_PORT.
 */
import http from 'node:http';
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { loadConfig } from '../lib/config';
import { startLivePublisher } from '../lib/live/kafka';
import { log } from '../lib/log';
import { metrics } from '../lib/metrics';
import { startConsumer } from './consumer';
import { EventStore } from './store';

const config = loadConfig();
if (!config.kafka) {
  log.fatal('KAFKA_BROKERS is not set: without Kafka the worker runs inside the web process (npm start)');
  process.exit(2);
}

const db = await openDb(config);
await migrate(db);
const store = new EventStore(db);
// Every committed batch becomes per-site live deltas on the live topic, which every web node reads.
const live = await startLivePublisher(config);
store.onStored((rows) => live.publish(rows));
const consumer = await startConsumer(config, store);

const port = Number(process.env.WORKER_METRICS_PORT ?? 9464);
const server = http
  .createServer(async (req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
    } else if (req.url === '/health') {
      const ok = await store.ping();
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', clickhouse: ok ? 'ok' : 'down' }));
    } else {
      res.writeHead(404).end();
    }
  })
  .listen(port, '0.0.0.0');
log.info({ metricsPort: port, group: config.KAFKA_GROUP_ID, topic: config.KAFKA_EVENTS_TOPIC }, 'worker started');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'worker shutting down: finishing the batch, committing, leaving the group');
  server.close();
  await consumer.stop();
  await live.close();
  await db.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
