/** First run: create the owner account. Only reachable while no account exists. */
import { redirect } from 'next/navigation';
import { CredentialsForm } from '@/app/components/forms/CredentialsForm';
import { setupNeeded } from '@/lib/auth/server';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Set up' };

export default async function SetupPage() {
  if (!(await setupNeeded())) redirect('/login');
  return (
    <main id="main" className="narrow">
      <div className="panel">
        <h1>Welcome to Sightline</h1>
        <p className="muted">Create the owner account. You can add more accounts later with <code>npm run users -- create</code>.</p>
        <CredentialsForm mode="setup" next="/sites" />
      </div>
    </main>
  );
}
