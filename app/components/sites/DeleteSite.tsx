/** Deletes a site and all its data, once the owner has typed its domain. */
'use client';

import { useState } from 'react';
import { callApi } from '../forms/api';

export function DeleteSite({ domain }: { domain: string }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await callApi('DELETE', `/api/sites/${encodeURIComponent(domain)}`, { confirm: typed });
    if (r.ok) {
      window.location.assign('/sites');
      return;
    }
    setBusy(false);
    setError(r.message);
  };

  return (
    <form className="row-form" onSubmit={submit}>
      <label className="field">
        <span>
          Type <code>{domain}</code> to confirm
        </span>
        <input type="text" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
      </label>
      <button type="submit" className="button danger" disabled={typed !== domain || busy}>
        {busy ? 'Deleting…' : 'Delete site and data'}
      </button>
      {error ? (
        <p className="form-error" role="alert" style={{ flexBasis: '100%' }}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
