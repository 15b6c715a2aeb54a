/**
 * `npm run worker`: one Kafka worker process (scale-out mode). Run as many
 * as there are partitions to share; they form one consumer group.
 * Serves /metrics and /health on WORKER_METRICS_PORT.
 */
import http from 'node:http';
import { loadConfig } from '../lib/config';
import { log } from '../lib/log';
import { metrics } from '../lib/metrics';
import { runWorker } from './worker';

const config = loadConfig();
if (!config.kafka) {
  log.fatal('KAFKA_BROKERS is not set: without Kafka the worker runs inside the web process (npm start)');
  process.exit(2);
}

const worker = await runWorker(config);

const port = Number(process.env.WORKER_METRICS_PORT ?? 9464);
const server = http
  .createServer(async (req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
    } else if (req.url === '/health') {
      const ok = await worker.store.ping();
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
  await worker.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
