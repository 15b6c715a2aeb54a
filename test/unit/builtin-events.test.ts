/** Built-in events finished on the server: link click classification and the 404 path (lib/ingest/steps/builtin.ts). */
import { describe, expect, it } from 'vitest';
import { parseBody, type EventPayload } from '../../lib/event/payload';
import { DOWNLOAD_EXTENSIONS, downloadUrl, resolveBuiltIn } from '../../lib/ingest/steps/builtin';

const PAGE = 'https://shop.example/page';

/** A link click as the tracker sends it: `x` present, the link in props.url. */
function click(name: string, url: string, x = ''): EventPayload {
  return { name, url: PAGE, domain: 'shop.example', props: { url }, download_extensions: x };
}

describe('downloadUrl', () => {
  it('detects every default extension and drops query and fragment', () => {
    expect(downloadUrl('https://shop.example/files/report.pdf?utm=x#p2', '')).toBe('https://shop.example/files/report.pdf');
    for (const ext of DOWNLOAD_EXTENSIONS) {
      expect(downloadUrl(`https://shop.example/f/a.${ext}`, ''), ext).toBe(`https://shop.example/f/a.${ext}`);
    }
    expect(downloadUrl('https://shop.example/f/A.PDF', '')).toBe('https://shop.example/f/A.PDF');
  });

  it('is not fooled by dots elsewhere in the URL', () => {
    for (const path of ['/v1.2/pdf', '/docs.pdf/', '/apdf', '/a.pdfx', '/a.html', '/?f=a.pdf']) {
      expect(downloadUrl(`https://shop.example${path}`, ''), path).toBeUndefined();
    }
  });

  it('takes extra extensions, comma-separated', () => {
    expect(downloadUrl('https://shop.example/book.epub', 'epub,mobi')).toBe('https://shop.example/book.epub');
    expect(downloadUrl('https://shop.example/book.mobi', 'epub, mobi')).toBe('https://shop.example/book.mobi');
    expect(downloadUrl('https://shop.example/book.epub', '')).toBeUndefined();
  });

  it('gives nothing for a URL it cannot parse', () => {
    expect(downloadUrl('not a url.pdf', '')).toBeUndefined();
  });
});

describe('resolveBuiltIn', () => {
  it('turns a candidate with a download extension into a File Download without query', () => {
    expect(resolveBuiltIn(click('File Download', 'https://shop.example/files/report.pdf?v=2#page=3'))).toEqual({
      name: 'File Download',
      url: PAGE,
      domain: 'shop.example',
      props: { url: 'https://shop.example/files/report.pdf' },
    });
  });

  it('prefers download over outbound for files on other hosts', () => {
    expect(resolveBuiltIn(click('Outbound Link: Click', 'https://cdn.example/a.zip?x=1'))).toMatchObject({
      name: 'File Download',
      props: { url: 'https://cdn.example/a.zip' },
    });
  });

  it('keeps an outbound click that is no download, with its full URL', () => {
    const r = resolveBuiltIn(click('Outbound Link: Click', 'https://other.example/a.php?b=1#c'));
    expect(r).toEqual({ name: 'Outbound Link: Click', url: PAGE, domain: 'shop.example', props: { url: 'https://other.example/a.php?b=1#c' } });
  });

  it('drops a same-host candidate that is no download', () => {
    expect(resolveBuiltIn(click('File Download', 'https://shop.example/v1.2/notes.md'))).toBeNull();
    expect(resolveBuiltIn(click('File Download', 'https://shop.example/book.epub'))).toBeNull();
    expect(resolveBuiltIn(click('File Download', 'https://shop.example/book.epub', 'epub'))?.name).toBe('File Download');
    expect(resolveBuiltIn({ ...click('File Download', ''), props: undefined })).toBeNull();
  });

  it('leaves events without `x` alone, whatever their name (Plausible clients)', () => {
    const plausible: EventPayload = { name: 'File Download', url: PAGE, domain: 'shop.example', props: { url: 'https://shop.example/a.epub?x=1' } };
    expect(resolveBuiltIn(plausible)).toBe(plausible);
    const outbound: EventPayload = { ...plausible, name: 'Outbound Link: Click', props: { url: 'https://cdn.example/a.pdf' } };
    expect(resolveBuiltIn(outbound)).toBe(outbound);
  });

  it('adds the page path to a 404 without one', () => {
    const notFound: EventPayload = { name: '404', url: 'https://shop.example/missing/page?q=1#top', domain: 'shop.example', props: undefined };
    expect(resolveBuiltIn(notFound)?.props).toEqual({ path: '/missing/page' });
    expect(resolveBuiltIn({ ...notFound, props: { from: 'menu' } })?.props).toEqual({ from: 'menu', path: '/missing/page' });
    expect(resolveBuiltIn({ ...notFound, props: { path: '/given' } })?.props).toEqual({ path: '/given' });
  });

  it('reads `x` from the wire as download_extensions', () => {
    const r = parseBody(JSON.stringify({ n: 'File Download', u: PAGE, d: 'shop.example', p: { url: 'https://shop.example/a.pdf' }, x: '' }));
    expect(r.ok && r.events[0]!.download_extensions).toBe('');
    expect(r.ok && resolveBuiltIn(r.events[0]!)?.props).toEqual({ url: 'https://shop.example/a.pdf' });
  });
});
