/** The entry point: first run -> /setup, signed in -> /sites, otherwise -> /login. */
import { redirect } from 'next/navigation';
import { pageUser, setupNeeded } from '@/lib/auth/server';

export const dynamic = 'force-dynamic';

export default async function Home() {
  if (await setupNeeded()) redirect('/setup');
  redirect((await pageUser()) ? '/sites' : '/login');
}
