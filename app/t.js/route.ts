/** GET /t.js: the tracker script (see tracker/serve.ts). */
import { trackerResponse } from '../../tracker/serve';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(req: Request): Response {
  return trackerResponse(req);
}
