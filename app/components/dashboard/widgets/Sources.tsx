/** Sources report: channels, sources, referrers and UTM medium/source/campaign. */
'use client';

import { BreakdownCard } from '../BreakdownCard';

const direct = (v: string) => v || 'Direct / None';

export function Sources() {
  return (
    <BreakdownCard
      title="Sources"
      tabs={[
        { id: 'sources', label: 'Sources', property: 'visit:source', column: 'Source', renderValue: direct },
        { id: 'channels', label: 'Channels', property: 'visit:channel', column: 'Channel', renderValue: direct },
        { id: 'referrers', label: 'Referrers', property: 'visit:referrer', column: 'Referrer', renderValue: direct },
        { id: 'utm-medium', label: 'Medium', property: 'visit:utm_medium', column: 'UTM medium' },
        { id: 'utm-source', label: 'UTM source', property: 'visit:utm_source', column: 'UTM source' },
        { id: 'utm-campaign', label: 'Campaign', property: 'visit:utm_campaign', column: 'UTM campaign' },
      ]}
    />
  );
}
