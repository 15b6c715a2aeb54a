/**
 * What every dashboard widget needs: the site, how the viewer got in (owner,
 * share link, public), the URL state and a way to change it.
 */
'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import type { Access } from '@/lib/auth/access';
import type { Goal } from '@/db/goals';
import { parseQuery, queryToSearch, type DashboardQuery } from './query';

export interface SiteInfo {
  domain: string;
  timezone: string;
}

export interface DashboardContextValue {
  site: SiteInfo;
  access: Access;
  /** Present when the viewer came through a share link; sent as `auth=`. */
  shareToken?: string;
  goals: Goal[];
  query: DashboardQuery;
  setQuery(next: DashboardQuery): void;
}

const Ctx = createContext<DashboardContextValue | null>(null);

export function DashboardProvider(props: { site: SiteInfo; access: Access; shareToken?: string; goals: Goal[]; children: ReactNode }) {
  const pathname = usePathname();
  const search = useSearchParams();
  const query = useMemo(() => parseQuery(new URLSearchParams(search.toString())), [search]);
  // Native pushState: Next keeps useSearchParams in sync, without a server
  // round trip (the page itself does not depend on these parameters).
  const setQuery = useCallback(
    (next: DashboardQuery) => window.history.pushState(null, '', `${pathname}${queryToSearch(next, new URLSearchParams(search.toString()))}`),
    [pathname, search],
  );
  const value = useMemo(
    () => ({ site: props.site, access: props.access, shareToken: props.shareToken, goals: props.goals, query, setQuery }),
    [props.site, props.access, props.shareToken, props.goals, query, setQuery],
  );
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}

export function useDashboard(): DashboardContextValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useDashboard outside DashboardProvider');
  return v;
}
