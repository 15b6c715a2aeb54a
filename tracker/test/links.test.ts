/**
 * Click classification helpers (src/links.ts). Which clicks are sent, and
 * with what, is checked on the built script in entry.test.ts; whether a
 * candidate is a download (the extension list, query stripping) is decided
 * by the server: test/unit/builtin-events.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { fileLike, tagProps } from '../src/links';

describe('fileLike', () => {
  it.each(['/files/report.pdf', '/book.epub', '/a.tar.gz', '/x/y/z.PDF', '/v1.2/setup.exe'])('%j is a download candidate', (p) =>
    expect(fileLike(p)).toBe(true),
  );
  it.each(['/about', '/about.html', '/index.htm', '/v1.2/pdf', '/docs.pdf/', '/', ''])('%j is not', (p) =>
    expect(fileLike(p)).toBe(false),
  );
});

describe('tagProps', () => {
  const el = (attrs: Record<string, string>) => ({
    attributes: Object.entries(attrs).map(([name, value]) => ({ name, value })),
  });

  it('reads the data-sightline-event-<prop> attributes only', () => {
    expect(
      tagProps(
        el({
          class: 'btn',
          'data-sightline-event': 'Signup',
          'data-sightline-event-plan': 'pro',
          'data-sightline-event-billing-cycle': 'yearly',
          'data-other': 'x',
        }),
      ),
    ).toEqual({ plan: 'pro', 'billing-cycle': 'yearly' });
  });

  it('gives empty props when there are none', () => {
    expect(tagProps(el({ 'data-sightline-event': 'Click' }))).toEqual({});
  });
});
