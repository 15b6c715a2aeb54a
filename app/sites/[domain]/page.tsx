/** A site's dashboard for anyone with access (owner, share token as ?auth=, public site). */
import { notFound, redirect } from 'next/navigation';
import { Dashboard } from '@/app/components/dashboard/Dashboard';
import { domainParam, firstView, loadDashboard } from '@/app/components/dashboard/load';
import { AppHeader } from '@/app/components/ui/AppHeader';
import { pageSiteAccess, pageUser } from '@/lib/auth/server';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ domain: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props) {
  return { title: domainParam((await params).domain) };
}

export default async function SiteDashboardPage({ params, searchParams }: Props) {
  const domain = domainParam((await params).domain);
  const search = await searchParams;
  const shareToken = typeof search.auth === 'string' ? search.auth : undefined;
  const [access, user] = await Promise.all([pageSiteAccess(domain, shareToken), pageUser()]);
  if (!access) {
    if (!user) redirect(`/login?next=${encodeURIComponent(returnPath(domain, search))}`);
    notFound();
  }
  const props = await loadDashboard(domain, access, access === 'shared' ? shareToken : undefined);
  if (!props) notFound();
  return (
    <>
      <AppHeader user={user} />
      <main id="main" className="page">
        <div className="page-title">
          <h1>{props.site.domain}</h1>
          {access === 'owner' ? (
            <a href={`/sites/${encodeURIComponent(props.site.domain)}/settings`} className="button secondary small">
              Site settings
            </a>
          ) : (
            <span className="badge">{access === 'public' ? 'Public dashboard' : 'Shared with you'}</span>
          )}
        </div>
        <Dashboard {...props} first={firstView(props.site, access, props.shareToken, search)} />
      </main>
    </>
  );
}

/** This dashboard with its period and filters, to come back to after signing in. */
function returnPath(domain: string, search: Record<string, string | string[] | undefined>): string {
  const kept = new URLSearchParams();
  for (const [k, v] of Object.entries(search)) {
    if (k === 'auth' || v === undefined) continue;
    for (const value of Array.isArray(v) ? v : [v]) kept.append(k, value);
  }
  const qs = kept.toString();
  return `/sites/${encodeURIComponent(domain)}${qs ? `?${qs}` : ''}`;
}
