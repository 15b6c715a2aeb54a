/** Goal conversions: visitors, events and conversion rate per goal (`event:goal`). */
'use client';

import { BreakdownCard } from '../BreakdownCard';
import { useDashboard } from '../context';
import { Empty } from '../Status';
import styles from '../dashboard.module.css';

export function Goals() {
  const { site, access, goals } = useDashboard();
  if (goals.length === 0) {
    return (
      <section className={styles.card} aria-label="Goal conversions">
        <header className={styles.cardHeader}>
          <h2>Goal conversions</h2>
        </header>
        <Empty>
          <p>
            No goals yet. A goal is a custom event (&quot;Signup&quot;) or a page path (&quot;/thank-you&quot;).{' '}
            {access === 'owner' ? <a href={`/sites/${encodeURIComponent(site.domain)}/settings#goals`}>Add a goal</a> : null}
          </p>
        </Empty>
      </section>
    );
  }
  return (
    <BreakdownCard
      title="Goal conversions"
      tabs={[{ id: 'goals', label: 'Goals', property: 'event:goal', column: 'Goal', metrics: ['visitors', 'events', 'conversion_rate'] }]}
    />
  );
}
