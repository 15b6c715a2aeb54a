/** Account: who is signed in, and their API keys for the Stats API. */
import { redirect } from 'next/navigation';
import { ApiKeys } from '@/app/components/forms/ApiKeys';
import { AppHeader } from '@/app/components/ui/AppHeader';
import { listApiKeys } from '@/lib/auth/api-keys';
import { pageUser } from '@/lib/auth/server';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Account' };

export default async function AccountPage() {
  const user = await pageUser();
  if (!user) redirect('/login?next=/account');
  const keys = await listApiKeys((await getRuntime()).db, user.id);
  return (
    <>
      <AppHeader user={user} />
      <main id="main" className="page">
        <div className="page-title">
          <h1>Account</h1>
          <span className="muted">
            {user.email} {user.role === 'admin' ? <span className="badge">admin</span> : null}
          </span>
        </div>
        <section className="panel" aria-labelledby="keys-title">
          <h2 id="keys-title">API keys</h2>
          <p className="muted">
            Use a key with the Stats API: <code>curl -H &quot;Authorization: Bearer KEY&quot; &quot;/api/v1/stats/aggregate?site_id=example.com&amp;period=30d&quot;</code>.
            A key acts as you: it can read and manage every site you own. Revoke keys you no longer use.
          </p>
          <ApiKeys initial={keys} />
        </section>
      </main>
    </>
  );
}
