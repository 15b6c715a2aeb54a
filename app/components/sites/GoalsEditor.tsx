/** A site's conversion goals: a custom event name or a page path pattern. */
'use client';

import { useState } from 'react';
import type { Goal, GoalKind } from '@/db/goals';
import { callApi } from '../forms/api';

export function GoalsEditor({ domain, initial }: { domain: string; initial: Goal[] }) {
  const [goals, setGoals] = useState(initial);
  const [kind, setKind] = useState<GoalKind>('event');
  const [error, setError] = useState<string>();
  const base = `/api/sites/${encodeURIComponent(domain)}/goals`;

  const add = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const value = String(new FormData(form).get('value') ?? '');
    const r = await callApi<Goal>('POST', base, kind === 'event' ? { kind, event_name: value } : { kind, page_path: value });
    if (!r.ok) return setError(r.message);
    setGoals(goals.some((g) => g.id === r.data.id) ? goals : [...goals, r.data]);
    setError(undefined);
    form.reset();
  };

  const remove = async (g: Goal) => {
    const r = await callApi('DELETE', `${base}/${encodeURIComponent(g.id)}`);
    if (!r.ok) return setError(r.message);
    setGoals(goals.filter((x) => x.id !== g.id));
  };

  return (
    <>
      {goals.length ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Goal</th>
              <th scope="col">Type</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {goals.map((g) => (
              <tr key={g.id}>
                <td>{g.name}</td>
                <td>{g.kind === 'event' ? 'Custom event' : 'Pageview'}</td>
                <td>
                  <button type="button" className="button secondary small" onClick={() => remove(g)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No goals yet.</p>
      )}
      <form className="row-form" onSubmit={add} style={{ marginTop: '1rem' }}>
        <label className="field" style={{ flex: '0 0 auto' }}>
          <span>Type</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as GoalKind)}>
            <option value="event">Custom event</option>
            <option value="page">Pageview</option>
          </select>
        </label>
        <label className="field">
          <span>{kind === 'event' ? 'Event name' : 'Page path'}</span>
          <input type="text" name="value" required placeholder={kind === 'event' ? 'Signup' : '/thank-you or /blog/**'} spellCheck={false} />
        </label>
        <button type="submit" className="button">
          Add goal
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
