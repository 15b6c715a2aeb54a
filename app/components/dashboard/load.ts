/** Server-side data for a dashboard page (site, goals, whether any event arrived yet, its first view), shared by /sites/[domain] and /share/[token]. */
import { handleStats } from '@/app/api/v1/stats/handler';
import { listGoals } from '@/db/goals';
import type { DashboardResult } from '@/db/stats';
import type { Access } from '@/lib/auth/access';
import { findSite } from '@/lib/auth/access';
import { requestOrigin } from '@/lib/auth/server';
import { getRuntime } from '@/lib/runtime';
import type { SiteInfo } from './context';
import type { DashboardProps } from './Dashboard';
import { oneCallUrl, type FirstView } from './one-call';
import { parseQuery } from './query';

export async function loadDashboard(domain: string, access: Access, shareToken?: string): Promise<DashboardProps | null> {
  const { db } = await getRuntime();
  const site = await findSite(db, domain);
  if (!site) return null;
  const [goals, first, origin] = await Promise.all([
    listGoals(db, site.domain),
    db.query<{ one: number }>('SELECT 1 AS one FROM events WHERE site_id = {domain:String} LIMIT 1', { domain: site.domain }),
    requestOrigin(),
  ]);
  return { site: { domain: site.domain, timezone: site.timezone }, access, shareToken, goals, hasData: first.length > 0, origin };
}

/**
 * Starts the one dashboard call for the view in the address while the page
 * renders: its answer streams with the page, so the cards do not wait for
 * the page's code to load before asking (OneCall.tsx). Access is already
 * checked; the call goes through the Stats API handler, as the browser's would.
 */
export function firstView(site: SiteInfo, access: Access, shareToken: string | undefined, search: Record<string, string | string[] | undefined>): FirstView {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(search)) if (typeof v === 'string') params.set(k, v);
  const url = oneCallUrl(parseQuery(params), site.domain, shareToken);
  const answer = (async () => {
    const { db } = await getRuntime();
    const res = await handleStats('dashboard', new Request(new URL(url, 'http://sightline.internal')), {
      db,
      access: async () => access,
      signedIn: async () => true,
      site: async () => site,
    });
    return res.ok ? ((await res.json()) as DashboardResult) : null;
  })().catch(() => null);
  return { url, answer };
}

/** Route params arrive decoded, except when a proxy double-encodes them. */
export function domainParam(raw: string): string {
  try {
    return raw.includes('%') ? decodeURIComponent(raw) : raw;
  } catch {
    return raw;
  }
}
