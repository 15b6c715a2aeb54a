// Smoke test: proves kafkajs 2.2.4 works against the broker started by
// scripts/kafka/broker.sh (pinned version in scripts/kafka/pom.xml).
//
//   eval "$(scripts/kafka/broker.sh start --port 19092)"
//   KAFKA_BROKERS=$KAFKA_BROKERS npx tsx scripts/kafka/smoke.ts
//
// Exercises the APIs the app relies on: admin createTopics (CreateTopics),
// an idempotent producer with acks=-1 and GZIP (InitProducerId, Produce),
// a consumer group with eachBatch and explicit commits (FindCoordinator,
// JoinGroup, SyncGroup, Heartbeat, Fetch, OffsetCommit, OffsetFetch,
// ListOffsets), describeCluster (Metadata), deleteGroups and deleteTopics.
// Prints one summary line and exits 0, or prints the error and exits 1.

import kafkajs from 'kafkajs';
import type { Admin, Consumer, Producer } from 'kafkajs';

// kafkajs is CommonJS; the default import is the portable way from ESM.
const { Kafka, logLevel, CompressionTypes, Partitioners } = kafkajs;

const MESSAGES = 100;
const PARTITIONS = 3;
const TIMEOUT_MS = Number(process.env.SMOKE_TIMEOUT_MS ?? 90_000);

async function main(): Promise<string> {
  const brokersEnv = process.env.KAFKA_BROKERS;
  if (!brokersEnv) throw new Error('KAFKA_BROKERS is not set (e.g. 127.0.0.1:9092)');
  const brokers = brokersEnv.split(',').map((b) => b.trim()).filter(Boolean);

  const t0 = Date.now();
  const suffix = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const topic = `sightline-smoke-${suffix}`;
  const groupId = `sightline-smoke-${suffix}`;

  const kafka = new Kafka({
    clientId: 'sightline-smoke',
    brokers,
    logLevel: logLevel.WARN,
    connectionTimeout: 3_000,
    // No client-wide `retry` here: it is inherited by the producer, and
    // limiting an idempotent producer's retries makes kafkajs warn
    // "Limiting retries for the idempotent producer may invalidate EoS guarantees".
  });

  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  try {
    admin = kafka.admin();
    await admin.connect();

    const cluster = await admin.describeCluster();
    if (cluster.brokers.length < 1) throw new Error('describeCluster returned no brokers');

    // kafkajs sends CreateTopics v3, which has no "use the broker default"
    // value: numPartitions and replicationFactor must always be given.
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`createTopics: topic ${topic} already existed`);

    // Idempotent producer: kafkajs requires acks=-1 (it throws otherwise) and
    // defaults retries to Number.MAX_SAFE_INTEGER; maxInFlightRequests=1 keeps
    // sequence numbers in order. An explicit partitioner avoids the v2
    // "switched default partitioner" warning.
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const BATCH = 25;
    for (let start = 0; start < MESSAGES; start += BATCH) {
      const messages = [];
      for (let i = start; i < Math.min(start + BATCH, MESSAGES); i++) {
        messages.push({ key: `k${i}`, value: JSON.stringify({ i, suffix }) });
      }
      await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages });
    }

    const highWatermarks = await admin.fetchTopicOffsets(topic);
    const produced = highWatermarks.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    if (produced !== MESSAGES) throw new Error(`expected ${MESSAGES} records in ${topic}, broker has ${produced}`);

    consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });

    const seen = new Set<number>();
    let batches = 0;
    let commits = 0;
    let done!: () => void;
    const allSeen = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        batches++;
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) break;
          const body = JSON.parse(message.value?.toString() ?? 'null') as { i: number; suffix: string };
          if (body?.suffix !== suffix || message.key?.toString() !== `k${body.i}`) {
            throw new Error(`unexpected message at ${batch.partition}/${message.offset}`);
          }
          seen.add(body.i);
          resolveOffset(message.offset);
        }
        const last = batch.messages[batch.messages.length - 1];
        if (last) {
          await consumer!.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
          ]);
          commits++;
        }
        await heartbeat();
        if (seen.size >= MESSAGES) done();
      },
    });
    await allSeen;
    await consumer.disconnect();
    consumer = undefined;

    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedTotal = committed
      .flatMap((t) => t.partitions)
      .reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    if (committedTotal !== MESSAGES) {
      throw new Error(`expected committed offsets to add up to ${MESSAGES}, got ${committedTotal}`);
    }

    await admin.deleteGroups([groupId]);
    await admin.deleteTopics({ topics: [topic] });

    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    return (
      `kafka smoke ok: brokers=${brokers.join(',')} cluster=${cluster.clusterId} ` +
      `nodes=${cluster.brokers.length} controller=${cluster.controller} topic-partitions=${PARTITIONS} ` +
      `produced=${produced} (idempotent, acks=-1, gzip) consumed=${seen.size} in ${batches} batches ` +
      `commits=${commits} committed=${committedTotal} in ${secs}s`
    );
  } finally {
    await Promise.allSettled([
      consumer?.disconnect(),
      producer?.disconnect(),
      admin?.disconnect(),
    ]);
  }
}

const timer = setTimeout(() => {
  console.error(`kafka smoke FAILED: timed out after ${TIMEOUT_MS} ms`);
  process.exit(1);
}, TIMEOUT_MS);
timer.unref();

main().then(
  (summary) => {
    console.log(summary);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(`kafka smoke FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  },
);
