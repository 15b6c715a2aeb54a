/**
 * Custom events and their properties: event names (built-in pageview and
 * engagement hidden), and a breakdown by one custom property key, picked
 * from the keys the site has sent recently.
 */
'use client';

import { useEffect, useState } from 'react';
import { BreakdownCard } from '../BreakdownCard';
import { useDashboard } from '../context';
import styles from '../dashboard.module.css';

const BUILT_IN = new Set(['pageview', 'engagement']);

function usePropKeys(domain: string, shareToken?: string): string[] | undefined {
  const [keys, setKeys] = useState<string[]>();
  useEffect(() => {
    const controller = new AbortController();
    const q = shareToken ? `?auth=${encodeURIComponent(shareToken)}` : '';
    fetch(`/api/sites/${encodeURIComponent(domain)}/props${q}`, { signal: controller.signal })
      .then((r) => (r.ok ? (r.json() as Promise<string[]>) : []))
      .then(setKeys, () => undefined);
    return () => controller.abort();
  }, [domain, shareToken]);
  return keys;
}

export function Events() {
  const { site, shareToken } = useDashboard();
  const keys = usePropKeys(site.domain, shareToken);
  const [prop, setProp] = useState<string>();
  const chosen = prop ?? keys?.[0];

  const picker = keys?.length ? (
    <label className={styles.toolbar}>
      <span>Property</span>
      <select value={chosen} onChange={(e) => setProp(e.target.value)}>
        {keys.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
    </label>
  ) : null;

  return (
    <BreakdownCard
      title="Custom events"
      tabs={[
        {
          id: 'events',
          label: 'Events',
          property: 'event:name',
          column: 'Event',
          metrics: ['visitors', 'events'],
          hide: (v) => BUILT_IN.has(v),
          empty: (
            <>
              No custom events in this period. Send one with <code>sightline(&apos;Signup&apos;, {'{'}props: {'{'}plan: &apos;pro&apos;{'}'}{'}'})</code>.
            </>
          ),
        },
        {
          id: 'props',
          label: 'Properties',
          property: chosen ? `event:props:${chosen}` : '',
          column: chosen ?? 'Value',
          metrics: ['visitors', 'events'],
          toolbar: picker,
          empty: keys === undefined ? 'Loading properties…' : 'No custom properties sent in the last 30 days.',
        },
      ]}
    />
  );
}
