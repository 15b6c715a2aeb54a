/** Click classification: declarative tags, file downloads, outbound links (src/links.ts). */
import { describe, expect, it } from 'vitest';
import { DOWNLOADS, linkEvent, tagged } from '../src/links';

/** The parts of an <a> the classifier reads, as the browser computes them. */
function link(href: string) {
  const u = new URL(href, 'https://shop.example/page');
  return { href: u.href, host: u.host, origin: u.origin, pathname: u.pathname };
}

const HOST = 'shop.example';

describe('linkEvent', () => {
  it('classifies links to another host as outbound', () => {
    expect(linkEvent(link('https://other.example/a?b=1#c'), HOST, DOWNLOADS, true)).toEqual([
      'Outbound Link: Click',
      { url: 'https://other.example/a?b=1#c' },
    ]);
    // A different port is a different host.
    expect(linkEvent(link('https://shop.example:8443/'), HOST, DOWNLOADS, true)?.[0]).toBe('Outbound Link: Click');
  });

  it('ignores same-host links, hostless links and the outbound switch', () => {
    expect(linkEvent(link('/about'), HOST, DOWNLOADS, true)).toBeUndefined();
    expect(linkEvent(link('https://shop.example/x'), HOST, DOWNLOADS, true)).toBeUndefined();
    expect(linkEvent(link('mailto:a@b.example'), HOST, DOWNLOADS, true)).toBeUndefined();
    expect(linkEvent(link('https://other.example/'), HOST, DOWNLOADS, false)).toBeUndefined();
  });

  it('detects downloads by extension and drops query and fragment', () => {
    expect(linkEvent(link('/files/report.pdf?utm=x#p2'), HOST, DOWNLOADS, true)).toEqual([
      'File Download',
      { url: 'https://shop.example/files/report.pdf' },
    ]);
    for (const ext of DOWNLOADS.split(',')) {
      expect(linkEvent(link(`/f/a.${ext}`), HOST, DOWNLOADS, true)?.[0]).toBe('File Download');
    }
  });

  it('prefers download over outbound for files on other hosts', () => {
    expect(linkEvent(link('https://cdn.example/a.zip'), HOST, DOWNLOADS, true)).toEqual([
      'File Download',
      { url: 'https://cdn.example/a.zip' },
    ]);
  });

  it('is not fooled by dots elsewhere in the URL', () => {
    expect(linkEvent(link('/v1.2/pdf'), HOST, DOWNLOADS, true)).toBeUndefined();
    expect(linkEvent(link('/docs.pdf/'), HOST, DOWNLOADS, true)).toBeUndefined();
    expect(linkEvent(link('/apdf'), HOST, DOWNLOADS, true)).toBeUndefined();
    expect(linkEvent(link('/a.pdfx'), HOST, DOWNLOADS, true)).toBeUndefined();
  });

  it('takes extra extensions and can be switched off', () => {
    const exts = DOWNLOADS + ',epub,mobi';
    expect(linkEvent(link('/book.epub'), HOST, exts, true)?.[0]).toBe('File Download');
    expect(linkEvent(link('/book.epub'), HOST, DOWNLOADS, true)).toBeUndefined();
    // Downloads off: a PDF elsewhere is still an outbound link.
    expect(linkEvent(link('/a.pdf'), HOST, '', true)).toBeUndefined();
    expect(linkEvent(link('https://cdn.example/a.pdf'), HOST, '', true)?.[0]).toBe('Outbound Link: Click');
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
