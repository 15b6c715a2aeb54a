/** The signed-in user's sites, and a form to add one. */
import { redirect } from 'next/navigation';
import { AddSiteForm } from '@/app/components/sites/AddSiteForm';
import { AppHeader } from '@/app/components/ui/AppHeader';
import { listSites } from '@/db/sites';
import { ownsSite } from '@/lib/auth/access';
import { pageUser } from '@/lib/auth/server';
import { timeZones } from '@/lib/auth/timezones';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sites' };

export default async function SitesPage() {
  const user = await pageUser();
  if (!user) redirect('/login?next=/sites');
  const sites = (await listSites((await getRuntime()).db)).filter((s) => ownsSite(user, s));
  return (
    <>
      <AppHeader user={user} />
      <main id="main" className="page">
        <div className="page-title">
          <h1>Sites</h1>
        </div>
        {sites.length ? (
          <ul className="site-list" aria-label="Your sites">
            {sites.map((s) => (
              <li key={s.domain}>
                <a className="site" href={`/sites/${encodeURIComponent(s.domain)}`}>
                  <span>{s.domain}</span>
                  <span className="muted">
                    {s.public ? <span className="badge">public</span> : null} {s.timezone}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No sites yet. Add the first one below; the next page shows the snippet to install.</p>
        )}
        <section className="panel" style={{ marginTop: '1.5rem' }} aria-labelledby="add-title">
          <h2 id="add-title">Add a site</h2>
          <AddSiteForm zones={timeZones()} />
        </section>
      </main>
    </>
  );
}
