/**
 * Devices report: device type, browser, operating system, and versions.
 * (The Stats API has no screen-size property yet; add a tab here when it does.)
 */
'use client';

import { BreakdownCard } from '../BreakdownCard';

export function Devices() {
  return (
    <BreakdownCard
      title="Devices"
      tabs={[
        { id: 'devices', label: 'Type', property: 'visit:device', column: 'Device' },
        { id: 'browsers', label: 'Browser', property: 'visit:browser', column: 'Browser' },
        { id: 'os', label: 'OS', property: 'visit:os', column: 'Operating system' },
        { id: 'browser-versions', label: 'Versions', property: 'visit:browser_version', column: 'Browser version', renderValue: (v, row) => `${String(row.browser ?? '')} ${v}`.trim() },
      ]}
    />
  );
}
