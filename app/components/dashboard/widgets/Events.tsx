/**
 * Custom events and their properties: event names (built-in pageview and
 * engagement hidden), and a breakdown by one custom property key, picked
 * from the keys the site has sent recently. The keys are fetched only when
 * the Properties tab is chosen: the dashboard opens without that request.
 */
'use client';

import { useEffect, useState } from 'react';
import { BreakdownCard, BreakdownList } from '../BreakdownCard';
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

/** The Properties tab: a key picker above the breakdown by that key. The chosen key outlives switching tabs. */
function PropsPanel({ prop, setProp }: { prop: string | undefined; setProp: (key: string) => void }) {
  const { site, shareToken } = useDashboard();
  const keys = usePropKeys(site.domain, shareToken);
  const chosen = prop && keys?.includes(prop) ? prop : keys?.[0];
  return (
    <>
      {keys?.length ? (
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
      ) : null}
      <BreakdownList
        key={chosen ?? ''}
        tab={{
          id: 'props',
          label: 'Properties',
          property: chosen ? `event:props:${chosen}` : '',
          column: chosen ?? 'Value',
          metrics: ['visitors', 'events'],
          empty: keys === undefined ? 'Loading properties…' : 'No custom properties sent in the last 30 days.',
        }}
      />
    </>
  );
}

export function Events() {
  const [prop, setProp] = useState<string>();
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
        // Its property is set by the panel, once the keys are in.
        { id: 'props', label: 'Properties', property: '', column: 'Value', panel: <PropsPanel prop={prop} setProp={setProp} /> },
      ]}
    />
  );
}
