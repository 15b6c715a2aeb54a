/** Root layout: theme (globals.css), document language, skip link. */
import type { ReactNode } from 'react';
import './globals.css';

// same-origin referrers: share tokens travel in addresses (?auth=, /share/…) and must not leak to other sites.
export const metadata = {
  title: { default: 'Sightline', template: '%s · Sightline' },
  description: 'Real-time web analytics',
  referrer: 'same-origin' as const,
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
