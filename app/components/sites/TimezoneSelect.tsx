/** A time zone picker; a new site defaults to the browser's zone. */
'use client';

import { useEffect, useState } from 'react';

export function TimezoneSelect({ zones, value, name = 'timezone', id, describedBy }: { zones: string[]; value?: string; name?: string; id?: string; describedBy?: string }) {
  const [zone, setZone] = useState(value ?? 'UTC');
  useEffect(() => {
    if (value) return;
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zones.includes(local)) setZone(local);
  }, [value, zones]);
  return (
    <select id={id} aria-describedby={describedBy} name={name} value={zone} onChange={(e) => setZone(e.target.value)}>
      {zones.map((z) => (
        <option key={z} value={z}>
          {z.replace(/_/g, ' ')}
        </option>
      ))}
    </select>
  );
}
