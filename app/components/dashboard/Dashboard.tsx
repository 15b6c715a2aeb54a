/**
 * The site dashboard (owner, share-link and public views alike): header
 * controls, filters, top stats, main chart and one card per report. Data
 * comes from the Stats API, each view's first render from one call
 * (OneCall.tsx); all state lives in the URL.
 */
'use client';

import { Suspense } from 'react';
import type { Access } from '@/lib/auth/access';
import type { Goal } from '@/db/goals';
import { Snippet } from '../ui/Snippet';
import { DashboardProvider, type SiteInfo } from './context';
import { FilterBar } from './FilterBar';
import { MainGraph } from './MainGraph';
import { OneCallProvider } from './OneCall';
import type { FirstView } from './one-call';
import { PeriodPicker } from './PeriodPicker';
import { Realtime } from './Realtime';
import { TopStats } from './TopStats';
import { Devices } from './widgets/Devices';
import { Events } from './widgets/Events';
import { Goals } from './widgets/Goals';
import { Locations } from './widgets/Locations';
import { Pages } from './widgets/Pages';
import { Sources } from './widgets/Sources';
import { Loading } from './Status';
import styles from './dashboard.module.css';

export interface DashboardProps {
  site: SiteInfo;
  access: Access;
  shareToken?: string;
  goals: Goal[];
  /** False until the site has received its first event. */
  hasData: boolean;
  /** This server's origin, for the snippet. */
  origin: string;
  /** The one call for the view in the address, started by the server while rendering (load.ts). */
  first?: FirstView;
}

export function Dashboard(props: DashboardProps) {
  return (
    <Suspense fallback={<Loading label="Loading dashboard" />}>
      <DashboardProvider site={props.site} access={props.access} shareToken={props.shareToken} goals={props.goals}>
        <OneCallProvider first={props.first}>
          <div className={styles.dashboard}>
            <div className={styles.controls}>
              <Realtime />
              <PeriodPicker />
            </div>
            <FilterBar />
            {!props.hasData ? <FirstEvent {...props} /> : null}
            <TopStats />
            <MainGraph />
            <div className={styles.grid}>
              <Sources />
              <Pages />
              <Locations />
              <Devices />
              <Goals />
              <Events />
            </div>
          </div>
        </OneCallProvider>
      </DashboardProvider>
    </Suspense>
  );
}

function FirstEvent({ site, access, origin }: DashboardProps) {
  return (
    <section className={styles.firstEvent} aria-labelledby="first-event-title" data-testid="empty-state">
      <h2 id="first-event-title">Waiting for the first visit</h2>
      {access === 'owner' ? (
        <>
          <p>
            Add this snippet to the <code>&lt;head&gt;</code> of every page of <strong>{site.domain}</strong>, then open one of them.
            This page shows the visit once you reload it.
          </p>
          <Snippet domain={site.domain} origin={origin} />
        </>
      ) : (
        <p>This site has not recorded any visits yet.</p>
      )}
    </section>
  );
}
