/** The `sites` table: registered domains. */
import { toClickHouseTime, type Db } from './client';
import { forgetGoals } from './goals';
import { forgetSettled } from './stats/settled';

export interface Site {
  domain: string;
  timezone: string;
  public: boolean;
  owner_id: string;
  created_at: string;
}

export const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/;

export function normalizeDomain(input: string): string {
  const d = input.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '').replace(/^www\./, '');
  if (!DOMAIN_PATTERN.test(d)) throw new Error(`not a domain name: ${JSON.stringify(input)}`);
  return d;
}

export async function listSites(db: Db): Promise<Site[]> {
  return db.query<Site>(
    `SELECT domain, argMax(timezone, updated_at) AS timezone, argMax(public, updated_at) AS public,
            argMax(owner_id, updated_at) AS owner_id, min(created_at) AS created_at
     FROM sites GROUP BY domain HAVING argMax(deleted, updated_at) = false ORDER BY domain`,
  );
}

export async function listDomains(db: Db): Promise<string[]> {
  return (await listSites(db)).map((s) => s.domain);
}

export async function upsertSite(
  db: Db,
  site: { domain: string; timezone?: string; public?: boolean; owner_id?: string },
): Promise<Site> {
  const domain = normalizeDomain(site.domain);
  const existing = (await listSites(db)).find((s) => s.domain === domain);
  const row = {
    domain,
    timezone: site.timezone ?? existing?.timezone ?? 'UTC',
    public: site.public ?? existing?.public ?? false,
    owner_id: site.owner_id ?? existing?.owner_id ?? '',
    deleted: false,
    updated_at: toClickHouseTime(Date.now()),
  };
  await db.insert('sites', [row]);
  return { ...row, created_at: existing?.created_at ?? row.updated_at };
}

/** Removes the site and all its data. */
export async function deleteSite(db: Db, domainInput: string): Promise<void> {
  const domain = normalizeDomain(domainInput);
  await db.insert('sites', [{ domain, deleted: true, updated_at: toClickHouseTime(Date.now()) }]);
  // Every table keyed by site (events, visits, every rollup), found rather
  // than listed so a new rollup cannot keep a deleted site's numbers.
  const tables = await db.query<{ name: string }>(
    `SELECT t.name AS name FROM system.tables AS t
     INNER JOIN system.columns AS c ON c.database = t.database AND c.table = t.name
     WHERE t.database = currentDatabase() AND t.engine LIKE '%MergeTree' AND c.name = 'site_id'`,
  );
  for (const { name } of tables) {
    await db.command(`DELETE FROM ${name} WHERE site_id = {domain:String}`, { domain });
  }
  forgetSettled(db);
  forgetGoals(db, domain);
}
