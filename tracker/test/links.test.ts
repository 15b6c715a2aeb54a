/**
 * Click classification (src/links.ts): declarative tags, and which link
 * clicks are sent. Whether a candidate is a download (the extension list,
 * query stripping) is decided by the server: test/unit/builtin-events.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { linkEvent, tagged } from '../src/links';

/** The parts of an <a> the classifier reads, as the browser computes them. */
function link(href: string) {
  const u = new URL(href, 'https://shop.example/page');
  return { href: u.href, host: u.host, pathname: u.pathname };
}

const HOST = 'shop.example';

describe('linkEvent', () => {
  it('sends links to another host as outbound, with the full URL', () => {
    expect(linkEvent(link('https://other.example/a?b=1#c'), HOST, true, true)).toEqual([
      'Outbound Link: Click',
      { url: 'https://other.example/a?b=1#c' },
      undefined,
    ]);
    // A different port is a different host.
    expect(linkEvent(link('https://shop.example:8443/'), HOST, true, true)?.[0]).toBe('Outbound Link: Click');
  });

  it('ignores same-host pages, hostless links and the outbound switch', () => {
    expect(linkEvent(link('/about'), HOST, true, true)).toBeUndefined();
    expect(linkEvent(link('https://shop.example/x'), HOST, true, true)).toBeUndefined();
    expect(linkEvent(link('/about.html'), HOST, true, true)).toBeUndefined();
    expect(linkEvent(link('/v1.2/pdf'), HOST, true, true)).toBeUndefined();
    expect(linkEvent(link('/docs.pdf/'), HOST, true, true)).toBeUndefined();
    // No host: nothing is sent, not even a mail address that looks like a file.
    expect(linkEvent(link('mailto:a@b.example'), HOST, true, true)).toBeUndefined();
    expect(linkEvent(link('https://other.example/'), HOST, true, false)).toBeUndefined();
  });

  it('sends a link with a file-like extension as a download candidate, with the extra extensions', () => {
    expect(linkEvent(link('/files/report.pdf?utm=x#p2'), HOST, true, true)).toEqual([
      'File Download',
      { url: 'https://shop.example/files/report.pdf?utm=x#p2' },
      '',
    ]);
    expect(linkEvent(link('/book.epub'), HOST, true, true, 'epub,mobi')).toEqual([
      'File Download',
      { url: 'https://shop.example/book.epub' },
      'epub,mobi',
    ]);
  });

  it('lets the server decide between download and outbound for files on other hosts', () => {
    // Candidate and outbound: the server makes it a download if the extension is one.
    expect(linkEvent(link('https://cdn.example/a.zip'), HOST, true, true)).toEqual([
      'Outbound Link: Click',
      { url: 'https://cdn.example/a.zip' },
      '',
    ]);
    // Outbound off: only a download, if the server finds one.
    expect(linkEvent(link('https://cdn.example/a.zip'), HOST, true, false)?.[0]).toBe('File Download');
  });

  it('sends no download candidate with downloads off', () => {
    expect(linkEvent(link('/a.pdf'), HOST, false, true)).toBeUndefined();
    // A PDF elsewhere is still an outbound link, and stays one (no `x`: not reclassified).
    expect(linkEvent(link('https://cdn.example/a.pdf'), HOST, false, true)).toEqual([
      'Outbound Link: Click',
      { url: 'https://cdn.example/a.pdf' },
      undefined,
    ]);
  });
});

describe('tagged', () => {
  function el(attrs: Record<string, string>) {
    return {
      attributes: Object.entries(attrs).map(([name, value]) => ({ name, value })),
      dataset: { sightlineEvent: attrs['data-sightline-event'] },
    };
  }

  it('reads the name and the data-sightline-event-<prop> attributes', () => {
    expect(
      tagged(
        el({
          class: 'btn',
          'data-sightline-event': 'Signup',
          'data-sightline-event-plan': 'pro',
          'data-sightline-event-billing-cycle': 'yearly',
          'data-other': 'x',
        }),
      ),
    ).toEqual(['Signup', { plan: 'pro', 'billing-cycle': 'yearly' }]);
  });

  it('gives empty props when there are none', () => {
    expect(tagged(el({ 'data-sightline-event': 'Click' }))).toEqual(['Click', {}]);
  });
});
