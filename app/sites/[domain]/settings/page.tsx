/** Site settings (owner only): snippet, time zone and visibility, share links, goals, deletion. */
import { notFound, redirect } from 'next/navigation';
import { domainParam } from '@/app/components/dashboard/load';
import { DeleteSite } from '@/app/components/sites/DeleteSite';
import { GeneralSettings } from '@/app/components/sites/GeneralSettings';
import { GoalsEditor } from '@/app/components/sites/GoalsEditor';
import { ShareLinks } from '@/app/components/sites/ShareLinks';
import { AppHeader } from '@/app/components/ui/AppHeader';
import { Snippet } from '@/app/components/ui/Snippet';
import { listGoals } from '@/db/goals';
import { findSite, ownsSite } from '@/lib/auth/access';
import { pageUser, requestOrigin } from '@/lib/auth/server';
import { listShareLinks } from '@/lib/auth/share-links';
import { timeZones } from '@/lib/auth/timezones';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Site settings' };

export default async function SiteSettingsPage({ params }: { params: Promise<{ domain: string }> }) {
  const domain = domainParam((await params).domain);
  const user = await pageUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(`/sites/${domain}/settings`)}`);
  const { db } = await getRuntime();
  const site = await findSite(db, domain);
  if (!site || !ownsSite(user, site)) notFound();
  const [links, goals, origin] = await Promise.all([listShareLinks(db, site.domain), listGoals(db, site.domain), requestOrigin()]);
  const dashboard = `/sites/${encodeURIComponent(site.domain)}`;

  return (
    <>
      <AppHeader user={user} />
      <main id="main" className="page">
        <div className="page-title">
          <h1>{site.domain} settings</h1>
          <a href={dashboard} className="button secondary small">
            Back to dashboard
          </a>
        </div>
        <section className="panel" aria-labelledby="snippet-title">
          <h2 id="snippet-title">Tracking snippet</h2>
          <p className="muted">
            Add it to the <code>&lt;head&gt;</code> of every page of {site.domain}.
          </p>
          <Snippet domain={site.domain} origin={origin} />
        </section>
        <section className="panel" aria-labelledby="general-title">
          <h2 id="general-title">General</h2>
          <GeneralSettings site={site} zones={timeZones()} />
        </section>
        <section className="panel" aria-labelledby="share-title">
          <h2 id="share-title">Share links</h2>
          <ShareLinks domain={site.domain} origin={origin} initial={links} />
        </section>
        <section className="panel" id="goals" aria-labelledby="goals-title">
          <h2 id="goals-title">Goals</h2>
          <p className="muted">
            Conversions appear on the dashboard. Page paths may use <code>*</code> (within a segment) and <code>**</code> (across segments).
          </p>
          <GoalsEditor domain={site.domain} initial={goals} />
        </section>
        <section className="panel danger" aria-labelledby="delete-title">
          <h2 id="delete-title">Delete this site</h2>
          <p className="muted">Removes the site, every event and report recorded for it, its share links and goals. This cannot be undone.</p>
          <DeleteSite domain={site.domain} />
        </section>
      </main>
    </>
  );
}
