/** The Stats API's dependencies in the running server: auth from lib/auth, ClickHouse from the runtime. */
import { currentUser, findSite, siteAccess } from '@/lib/auth/access';
import { getRuntime } from '@/lib/runtime';
import type { StatsDeps } from './handler';

export async function runtimeDeps(): Promise<StatsDeps> {
  const { db } = await getRuntime();
  return {
    db,
    access: siteAccess,
    signedIn: async (req) => (await currentUser(req)) !== null,
    site: (domain) => findSite(db, domain),
  };
}
