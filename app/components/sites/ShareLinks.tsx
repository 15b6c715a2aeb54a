/** Read-only share links for a site: create, copy, revoke. */
'use client';

import { useState } from 'react';
import type { ShareLink } from '@/lib/auth/share-links';
import { callApi } from '../forms/api';
import { CopyButton } from '../ui/CopyButton';

export function ShareLinks({ domain, origin, initial }: { domain: string; origin: string; initial: ShareLink[] }) {
  const [links, setLinks] = useState(initial);
  const [error, setError] = useState<string>();
  const base = `/api/sites/${encodeURIComponent(domain)}/share`;

  const create = async () => {
    const r = await callApi<ShareLink>('POST', base);
    if (!r.ok) return setError(r.message);
    setLinks([...links, r.data]);
    setError(undefined);
  };

  const revoke = async (link: ShareLink) => {
    if (!window.confirm('Revoke this link? Anyone using it loses access at once.')) return;
    const r = await callApi('DELETE', `${base}/${encodeURIComponent(link.id)}`);
    if (!r.ok) return setError(r.message);
    setLinks(links.filter((l) => l.id !== link.id));
  };

  return (
    <>
      {links.length ? (
        <ul className="site-list">
          {links.map((l) => {
            const url = `${origin}/share/${l.token}`;
            return (
              <li key={l.id} className="snippet" data-testid="share-link">
                <code className="secret" style={{ flex: '1 1 320px' }}>
                  {url}
                </code>
                <CopyButton text={url} label="Copy link" />
                <button type="button" className="button secondary small" onClick={() => revoke(l)}>
                  Revoke
                </button>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted">No share links. A link lets anyone who has it see this dashboard, read-only, without an account.</p>
      )}
      <button type="button" className="button secondary" onClick={create} style={{ marginTop: '0.75rem' }}>
        Create share link
      </button>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
