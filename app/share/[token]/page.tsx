/**
 * /share/[token]: the dashboard of the site a share link opens, read-only,
 * without an account. A revoked or unknown token gets a plain 404.
 */
import { notFound } from 'next/navigation';
import { Dashboard } from '@/app/components/dashboard/Dashboard';
import { firstView, loadDashboard } from '@/app/components/dashboard/load';
import { siteForShareToken } from '@/lib/auth/share-links';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';
// The token is in the address: never send it on as a Referer.
export const metadata = { title: 'Shared dashboard', robots: { index: false }, referrer: 'no-referrer' as const };

interface Props {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function SharePage({ params, searchParams }: Props) {
  const { token } = await params;
  const domain = await siteForShareToken((await getRuntime()).db, token);
  const props = domain ? await loadDashboard(domain, 'shared', token) : null;
  if (!props) notFound();
  return (
    <>
      <header className="app-header">
        <nav aria-label="Main">
          <span className="brand">Sightline</span>
          <span className="muted">Shared, read-only dashboard</span>
        </nav>
      </header>
      <main id="main" className="page">
        <div className="page-title">
          <h1>{props.site.domain}</h1>
        </div>
        <Dashboard {...props} first={firstView(props.site, 'shared', token, await searchParams)} />
      </main>
    </>
  );
}
