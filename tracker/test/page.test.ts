/** Wire format (src/payload.ts) and page identity / scroll depth (src/page.ts). */
import { describe, expect, it } from 'vitest';
import { payload, type Base } from '../src/payload';
import { pageKey, scrollDepth } from '../src/page';

const base: Base = { d: 'example.com', r: 'https://news.example/', w: 1280 };

describe('payload', () => {
  it('builds a pageview with short keys only', () => {
    const p = payload('pageview', 'https://example.com/a?utm_source=x', {}, base);
    expect(JSON.parse(JSON.stringify(p))).toEqual({
      n: 'pageview',
      u: 'https://example.com/a?utm_source=x',
      d: 'example.com',
      r: 'https://news.example/',
      w: 1280,
    });
  });

  it('carries props, revenue, interactive and the hash flag', () => {
    const p = payload(
      'Signup',
      'https://example.com/#/pricing',
      { props: { plan: 'pro', seats: 3, trial: false }, revenue: { amount: 9.99, currency: 'EUR' }, interactive: false },
      { ...base, h: 1 },
    );
    expect(JSON.parse(JSON.stringify(p))).toEqual({
      n: 'Signup',
      u: 'https://example.com/#/pricing',
      d: 'example.com',
      r: 'https://news.example/',
      w: 1280,
      h: 1,
      p: { plan: 'pro', seats: 3, trial: false },
      $: { amount: 9.99, currency: 'EUR' },
      i: false,
    });
  });

  it('never puts the callback or long option names on the wire', () => {
    const json = JSON.stringify(payload('x', 'https://e.example/', { callback: () => {}, u: 'https://e.example/y' }, base));
    expect(json).not.toMatch(/callback|props|revenue|interactive|"u":"https:\/\/e.example\/y"/);
  });

  it('carries the extra download extensions of a link click as x', () => {
    const p = payload('File Download', 'https://example.com/a', { props: { url: 'https://example.com/b.epub' }, x: 'epub' }, base);
    expect(JSON.parse(JSON.stringify(p))).toMatchObject({ n: 'File Download', p: { url: 'https://example.com/b.epub' }, x: 'epub' });
    // '' still marks the click for classification on the server.
    expect(JSON.parse(JSON.stringify(payload('File Download', 'https://example.com/a', { x: '' }, base))).x).toBe('');
  });

  it('builds an engagement event', () => {
    const p = payload('engagement', 'https://example.com/a', { interactive: false, e: 1234, sd: 56 }, base);
    expect(p).toMatchObject({ n: 'engagement', i: false, e: 1234, sd: 56 });
  });
});

describe('pageKey', () => {
  it('ignores the fragment unless in hash mode', () => {
    expect(pageKey('https://e.example/a?q=1#top')).toBe('https://e.example/a?q=1');
    expect(pageKey('https://e.example/#/a', 1)).toBe('https://e.example/#/a');
  });
});

describe('scrollDepth', () => {
  it('is the bottom of the viewport as a share of the page, 0-100', () => {
    expect(scrollDepth(0, 720, 4000)).toBe(18);
    expect(scrollDepth(1280, 720, 4000)).toBe(50);
    expect(scrollDepth(3280, 720, 4000)).toBe(100);
    // Rubber-band overscroll and short pages stay at 100.
    expect(scrollDepth(3400, 720, 4000)).toBe(100);
    expect(scrollDepth(0, 720, 300)).toBe(100);
  });
});
