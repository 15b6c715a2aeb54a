/** Registers a site (domain + time zone), then opens its dashboard, which shows the snippet. */
'use client';

import { useState } from 'react';
import type { Site } from '@/db/sites';
import { callApi } from '../forms/api';
import { TimezoneSelect } from './TimezoneSelect';

export function AddSiteForm({ zones }: { zones: string[] }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    const result = await callApi<Site>('POST', '/api/sites', { domain: String(form.get('domain') ?? ''), timezone: String(form.get('timezone') ?? 'UTC') });
    if (result.ok) {
      window.location.assign(`/sites/${encodeURIComponent(result.data.domain)}`);
      return;
    }
    setBusy(false);
    setError(result.message);
  };

  return (
    <form className="row-form" onSubmit={submit} aria-label="Add a site">
      <label className="field">
        <span>Domain</span>
        <input type="text" name="domain" required placeholder="example.com" autoComplete="off" spellCheck={false} />
      </label>
      <label className="field">
        <span>Time zone</span>
        <TimezoneSelect zones={zones} />
      </label>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Adding…' : 'Add site'}
      </button>
      {error ? (
        <p className="form-error" role="alert" style={{ flexBasis: '100%' }}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
