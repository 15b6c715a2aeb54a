/** The user's API keys: create (the key is shown once), list, revoke. */
'use client';

import { useState } from 'react';
import type { ApiKey } from '@/lib/auth/api-keys';
import { CopyButton } from '../ui/CopyButton';
import { callApi } from './api';

export function ApiKeys({ initial }: { initial: ApiKey[] }) {
  const [keys, setKeys] = useState(initial);
  const [created, setCreated] = useState<string>();
  const [error, setError] = useState<string>();

  const create = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const name = String(new FormData(form).get('name') ?? '');
    const result = await callApi<ApiKey & { key: string }>('POST', '/api/keys', { name });
    if (!result.ok) return setError(result.message);
    const { key, ...apiKey } = result.data;
    setKeys([...keys, apiKey]);
    setCreated(key);
    setError(undefined);
    form.reset();
  };

  const revoke = async (k: ApiKey) => {
    if (!window.confirm(`Revoke the key "${k.name}"? Programs using it stop working at once.`)) return;
    const result = await callApi('DELETE', `/api/keys/${encodeURIComponent(k.id)}`);
    if (!result.ok) return setError(result.message);
    setKeys(keys.filter((x) => x.id !== k.id));
  };

  return (
    <>
      {created ? (
        <div className="form" role="status" style={{ marginBottom: '1rem' }}>
          <p className="form-ok">Copy your new key now: it is not shown again.</p>
          <div className="snippet">
            <code className="secret" data-testid="new-api-key">
              {created}
            </code>
            <CopyButton text={created} />
          </div>
        </div>
      ) : null}
      {keys.length ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{k.created_at.slice(0, 10)}</td>
                <td>
                  <button type="button" className="button secondary small" onClick={() => revoke(k)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No API keys yet.</p>
      )}
      <form className="row-form" onSubmit={create} style={{ marginTop: '1rem' }}>
        <label className="field">
          <span>New key name</span>
          <input type="text" name="name" required maxLength={100} placeholder="e.g. Reporting script" />
        </label>
        <button type="submit" className="button">
          Create key
        </button>
      </form>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
