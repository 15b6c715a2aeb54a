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
        <label className="field">
          <span>Time zone</span>
          <TimezoneSelect zones={zones} value={site.timezone} />
          <small>Days and hours in reports follow this zone.</small>
        </label>
        <button type="submit" className="button secondary">
          Save
        </button>
      </form>
      <label className="field" style={{ marginTop: '1rem', display: 'flex', gap: '0.5rem', alignItems: 'center' }}>
        <input type="checkbox" checked={isPublic} onChange={(e) => togglePublic(e.target.checked)} data-testid="public-toggle" />
        <span>Public dashboard: anyone with the address /sites/{site.domain} can see the statistics</span>
      </label>
      {message ? (
        <p className={message.ok ? 'form-ok' : 'form-error'} role="status">
          {message.text}
        </p>
      ) : null}
    </>
  );
}
