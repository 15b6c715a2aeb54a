/** Pages report: top pages, entry pages, exit pages. */
'use client';

import { BreakdownCard } from '../BreakdownCard';

export function Pages() {
  return (
    <BreakdownCard
      title="Pages"
      tabs={[
        { id: 'top-pages', label: 'Top pages', property: 'event:page', column: 'Page', metrics: ['visitors', 'pageviews'] },
        { id: 'entry-pages', label: 'Entry pages', property: 'visit:entry_page', column: 'Entry page', metrics: ['visitors', 'visits'] },
        { id: 'exit-pages', label: 'Exit pages', property: 'visit:exit_page', column: 'Exit page', metrics: ['visitors', 'visits'] },
      ]}
    />
  );
}
