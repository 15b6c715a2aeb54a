/**
 * The baseline for `npm run bench:ingest`: a bare Node http server that only
 * reads the body and produces it to Kafka (same producer settings and
 * micro-batching as Sightline's ingest), with no validation, enrichment,
 * Next.js or site lookup. It answers 202 once Kafka has the message.
 */
import http from 'node:http';
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import { Batcher } from '../../lib/batcher';

const kafka = new Kafka({ clientId: 'bare', brokers: [process.env.KAFKA_BROKERS!], logLevel: logLevel.NOTHING });
const topic = process.env.BARE_TOPIC ?? 'bench.bare';
const admin = kafka.admin();
await admin.connect();
if (!(await admin.listTopics()).includes(topic)) {
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: Number(process.env.KAFKA_PARTITIONS ?? 4), replicationFactor: 1 }] });
}
await admin.disconnect();
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
const batcher = new Batcher<{ key: string; value: string }>({
  maxItems: 2_000,
  maxWaitMs: 5,
  flush: async (messages) => void (await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages })),
});

let n = 0;
http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const items: unknown[] = body.startsWith('[') ? JSON.parse(body) : [JSON.parse(body)];
      batcher.add(items.map((v) => ({ key: String(n++ % 64), value: JSON.stringify(v) }))).then(
        () => res.writeHead(202).end(),
        () => res.writeHead(503).end(),
      );
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
