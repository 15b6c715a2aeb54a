/**
 * Serves the cards' first view of each dashboard view (period, date,
 * filters, comparison) from one GET /api/v1/stats/dashboard: for the view
 * the page opens with, the call the server started while rendering it
 * (`first`, streamed with the page); for later views, sent when the first
 * card asks. See one-call.ts for which requests it holds; every other
 * request, and any the one call fails to answer, goes out on its own.
 */
'use client';

import { createContext, useContext, useRef, type ReactNode } from 'react';
import type { DashboardResult } from '@/db/stats';
import { useDashboard } from './context';
import { extractFor, oneCallUrl, viewOf, type FirstView } from './one-call';
import { fetchStats } from './stats-client';

/** How a card gets the answer to a Stats API URL. */
export type StatsSource = <T>(url: string, signal: AbortSignal) => Promise<T>;

const Ctx = createContext<StatsSource>(fetchStats);

export function useStatsSource(): StatsSource {
  return useContext(Ctx);
}

/**
 * After its answer, the one call serves a view's cards for this long, then
 * they fetch on their own: a tab shown again minutes later gets fresh numbers.
 */
const SERVES_MS = 10_000;

interface OneCall {
  url: string;
  /** The view it answers: its URL without interval and limit. */
  view: string;
  controller: AbortController;
  answer?: Promise<DashboardResult>;
  answeredAt?: number;
}

function aborted(): Error {
  return new DOMException('The request was aborted.', 'AbortError');
}

/** The server's one call as if sent here: a null answer (it failed) makes the cards ask on their own. */
function fromServer(first: FirstView): OneCall {
  const call: OneCall = { url: first.url, view: viewOf(first.url), controller: new AbortController() };
  call.answer = Promise.resolve(first.answer).then((all) => {
    if (!all) throw new Error('The dashboard call failed while the page rendered.');
    call.answeredAt = Date.now();
    return all;
  });
  return call;
}

export function OneCallProvider({ first, children }: { first?: FirstView; children: ReactNode }) {
  const { site, shareToken, query } = useDashboard();
  // The one call for the view on screen; the chart's interval is the one current when the view opened.
  const wanted = oneCallUrl(query, site.domain, shareToken);
  const wantedRef = useRef(wanted);
  wantedRef.current = wanted;
  const current = useRef<OneCall | null>(null);
  if (first && current.current === null) current.current = fromServer(first);

  const source = useRef<StatsSource>(<T,>(url: string, signal: AbortSignal): Promise<T> => {
    const target = wantedRef.current;
    let call = current.current;
    if (!call || call.view !== viewOf(target)) {
      // A new view: the one call for the old one is of no use any more.
      if (call && call.answeredAt === undefined) call.controller.abort();
      call = { url: target, view: viewOf(target), controller: new AbortController() };
      current.current = call;
    }
    const extract = extractFor(call.url, url);
    const stale = call.answeredAt !== undefined && Date.now() - call.answeredAt > SERVES_MS;
    if (!extract || stale) return fetchStats<T>(url, signal);
    const own = call;
    own.answer ??= fetchStats<DashboardResult>(own.url, own.controller.signal).then((all) => {
      own.answeredAt = Date.now();
      return all;
    });
    return own.answer.then(
      (all) => {
        if (signal.aborted) throw aborted();
        const part = extract(all);
        return part ? (part as T) : fetchStats<T>(url, signal);
      },
      // The one call failed (or was dropped for a newer view): this card asks on its own and shows its own error.
      () => (signal.aborted ? Promise.reject(aborted()) : fetchStats<T>(url, signal)),
    );
  }).current;

  return <Ctx.Provider value={source}>{children}</Ctx.Provider>;
}
