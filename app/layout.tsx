import type { ReactNode } from 'react';

export const metadata = { title: 'Sightline', description: 'Real-time web analytics' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
