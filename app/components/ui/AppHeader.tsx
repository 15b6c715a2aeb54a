/** The signed-in header: brand, sites, account, sign out (a form post, so it works without JavaScript). */
import type { UserInfo } from '@/db/users';

export function AppHeader({ user }: { user: Pick<UserInfo, 'email'> | null }) {
  return (
    <header className="app-header">
      <nav aria-label="Main">
        <a className="brand" href={user ? '/sites' : '/'}>
          Sightline
        </a>
        {user ? (
          <>
            <a href="/sites">Sites</a>
            <a href="/account" title={user.email}>
              Account
            </a>
            <form method="post" action="/api/auth/logout">
              <button type="submit" className="button secondary small">
                Sign out
              </button>
            </form>
          </>
        ) : (
          <a href="/login">Sign in</a>
        )}
      </nav>
    </header>
  );
}
