/**
 * Loopback admin API for the CLI (`npm run sites`). In embedded mode the
 * server owns the data directory, so the CLI asks the running server instead
 * of opening ClickHouse itself. Authorised by the token the server writes to
 * DATA_DIR/admin.json (owner-only), and only from this machine.
 */
import { deleteSite, listSites, upsertSite } from '@/db/sites';
import { loopbackAdmin } from '@/lib/admin';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const forbidden = () => Response.json({ error: 'forbidden' }, { status: 403 });

export async function GET(req: Request): Promise<Response> {
  const rt = await loopbackAdmin(req);
  if (!rt) return forbidden();
  return Response.json(await listSites(rt.db));
}

export async function POST(req: Request): Promise<Response> {
  const rt = await loopbackAdmin(req);
  if (!rt) return forbidden();
  const body = (await req.json().catch(() => null)) as { action?: string; domain?: string; timezone?: string; public?: boolean } | null;
  if (!body?.domain) return Response.json({ error: 'invalid', detail: 'domain is required' }, { status: 400 });
  try {
    if (body.action === 'delete') {
      await deleteSite(rt.db, body.domain);
      await rt.sitesChanged();
      return Response.json({ deleted: body.domain });
    }
    const site = await upsertSite(rt.db, { domain: body.domain, timezone: body.timezone, public: body.public });
    await rt.sitesChanged();
    return Response.json(site);
  } catch (err) {
    return Response.json({ error: 'invalid', detail: (err as Error).message }, { status: 400 });
  }
}
