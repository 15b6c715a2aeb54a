/** GET /api/health: liveness, and whether ClickHouse and Kafka answer. */
import { getRuntime } from '@/lib/runtime';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const rt = await getRuntime();
  const [clickhouse, sink] = await Promise.all([
    rt.db.client.ping().then((r) => r.success, () => false),
    rt.sink.healthy(),
  ]);
  const kafka = rt.sink.kind === 'kafka' ? (sink ? 'ok' : 'down') : 'off';
  const ok = clickhouse && kafka !== 'down';
  return Response.json(
    { status: ok ? 'ok' : 'degraded', clickhouse: clickhouse ? 'ok' : 'down', kafka, mode: rt.sink.kind },
    { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
