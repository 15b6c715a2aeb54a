/**
 * /sites/<domain>/live: the live view. A thin server page: checks that the
 * visitor may see the site (the same rule the socket applies on subscribe),
 * then hands over to the client component, which talks socket.io.
 * Filters come from the query string (?page=/pricing&country=DE), a share
 * token from ?auth=.
 */
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { siteAccessFromHandshake } from '@/lib/auth/access';
import { FILTER_DIMENSIONS, normalizeFilter } from '@/lib/live/protocol';
import { LiveView } from './LiveView';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ domain: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props) {
  const { domain } = await params;
  return { title: `${decodeURIComponent(domain)} · live` };
}

export default async function LivePage({ params, searchParams }: Props) {
  const domain = decodeURIComponent((await params).domain).toLowerCase();
  const query = await searchParams;
  const token = typeof query.auth === 'string' ? query.auth : undefined;
  if (!(await siteAccessFromHandshake(await headers(), token, domain))) notFound();
  const raw: Record<string, string> = {};
  for (const d of FILTER_DIMENSIONS) {
    const v = query[d];
    if (typeof v === 'string') raw[d] = v;
  }
  return <LiveView domain={domain} initialFilter={normalizeFilter(raw)} shareToken={token} />;
}
