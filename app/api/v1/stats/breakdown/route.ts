/** GET /api/v1/stats/breakdown: Plausible Stats API v1 compatible. */
import { handleStats } from '../handler';
import { runtimeDeps } from '../runtime-deps';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return handleStats('breakdown', req, await runtimeDeps());
}
