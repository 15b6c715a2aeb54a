/** Server-side data for a dashboard page (site, goals, whether any event arrived yet), shared by /sites/[domain] and /share/[token]. */
import { listGoals } from '@/db/goals';
import type { Access } from '@/lib/auth/access';
import { findSite } from '@/lib/auth/access';
import { requestOrigin } from '@/lib/auth/server';
import { getRuntime } from '@/lib/runtime';
import type { DashboardProps } from './Dashboard';

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

/** Route params arrive decoded, except when a proxy double-encodes them. */
export function domainParam(raw: string): string {
  try {
    return raw.includes('%') ? decodeURIComponent(raw) : raw;
  } catch {
    return raw;
  }
}
