/** A site's time zone and public visibility (PATCH /api/sites/:domain). */
'use client';

import { useState } from 'react';
import type { Site } from '@/db/sites';
import { callApi } from '../forms/api';
import { TimezoneSelect } from './TimezoneSelect';

export function GeneralSettings({ site, zones }: { site: Pick<Site, 'domain' | 'timezone' | 'public'>; zones: string[] }) {
  const [isPublic, setPublic] = useState(site.public);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const url = `/api/sites/${encodeURIComponent(site.domain)}`;

  const saveZone = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const timezone = String(new FormData(e.currentTarget).get('timezone'));
    const r = await callApi('PATCH', url, { timezone });
    setMessage(r.ok ? { ok: true, text: `Time zone set to ${timezone}.` } : { ok: false, text: r.message });
  };

  const togglePublic = async (next: boolean) => {
    setPublic(next);
    const r = await callApi('PATCH', url, { public: next });
    if (!r.ok) setPublic(!next);
    setMessage(r.ok ? { ok: true, text: next ? 'The dashboard is now public.' : 'The dashboard is now private.' } : { ok: false, text: r.message });
  };

  return (
    <>
      <form className="row-form" onSubmit={saveZone}>
        <div className="field">
          <label htmlFor="site-timezone">Time zone</label>
          <TimezoneSelect id="site-timezone" describedBy="site-timezone-hint" zones={zones} value={site.timezone} />
          <small id="site-timezone-hint">Days and hours in reports follow this zone.</small>
        </div>
        <button type="submit" className="button secondary">
          Save
        </button>
      </form>
      <label className="check">
        <input type="checkbox" checked={isPublic} onChange={(e) => togglePublic(e.target.checked)} data-testid="public-toggle" />
        Public dashboard: anyone with the address /sites/{site.domain} can see the statistics
      </label>
      {message ? (
        <p className={message.ok ? 'form-ok' : 'form-error'} role="status">
          {message.text}
        </p>
      ) : null}
    </>
  );
}
