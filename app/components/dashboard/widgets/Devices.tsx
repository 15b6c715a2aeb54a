/** Devices report: device type, browser, operating system, screen size. */
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
        { id: 'screens', label: 'Screen', property: 'visit:screen', column: 'Screen width' },
      ]}
    />
  );
}
