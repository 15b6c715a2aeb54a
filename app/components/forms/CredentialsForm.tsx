/** Email + password form for first-run setup (creates the owner) and for signing in. */
'use client';

import { useState } from 'react';
import { callApi } from './api';

export function CredentialsForm({ mode, next }: { mode: 'setup' | 'login'; next: string }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get('password') ?? '');
    if (mode === 'setup' && password !== form.get('confirm')) return setError('The two passwords differ.');
    setBusy(true);
    setError(undefined);
    const result = await callApi(mode === 'setup' ? 'POST' : 'POST', mode === 'setup' ? '/api/auth/setup' : '/api/auth/login', {
      email: String(form.get('email') ?? ''),
      password,
    });
    if (result.ok) {
      window.location.assign(next);
      return;
    }
    setBusy(false);
    setError(result.message);
  };

  return (
    <form className="form" onSubmit={submit} noValidate={false}>
      <label className="field">
        <span>Email</span>
        <input type="email" name="email" autoComplete="email" required autoFocus />
      </label>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          name="password"
          autoComplete={mode === 'setup' ? 'new-password' : 'current-password'}
          required
          minLength={mode === 'setup' ? 8 : undefined}
          aria-describedby={mode === 'setup' ? 'password-hint' : undefined}
        />
        {mode === 'setup' ? <small id="password-hint">At least 8 characters.</small> : null}
      </div>
      {mode === 'setup' ? (
        <label className="field">
          <span>Repeat password</span>
          <input type="password" name="confirm" autoComplete="new-password" required minLength={8} />
        </label>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={busy}>
        {mode === 'setup' ? (busy ? 'Creating account…' : 'Create account') : busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
