/** Sign in. Redirects to setup on first run and onwards when already signed in. */
import { redirect } from 'next/navigation';
import { CredentialsForm } from '@/app/components/forms/CredentialsForm';
import { pageUser, safeNext, setupNeeded } from '@/lib/auth/server';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await setupNeeded()) redirect('/setup');
  if (await pageUser()) redirect(next);
  return (
    <main id="main" className="narrow">
      <div className="panel">
        <h1>Sign in to Sightline</h1>
        <CredentialsForm mode="login" next={next} />
      </div>
    </main>
  );
}
