/** GET /api/v1/stats/realtime/visitors: unique visitors in the last 5 minutes, as a bare number. */
import { handleStats } from '../../handler';
import { runtimeDeps } from '../../runtime-deps';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return handleStats('realtime', req, await runtimeDeps());
}
