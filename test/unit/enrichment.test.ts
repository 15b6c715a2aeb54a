import { describe, expect, it } from 'vitest';
import { isBotUserAgent } from '../../lib/ingest/steps/bots';
import { clientIp } from '../../lib/ingest/steps/client-ip';
import { classifyReferrer } from '../../lib/ingest/steps/referrer';
import { normalizePage } from '../../lib/ingest/steps/url';
import { parseUserAgent } from '../../lib/ingest/steps/user-agent';

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.127 Safari/537.36';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const FIREFOX_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe('bot filter', () => {
  it.each([
    ['Googlebot/2.1 (+http://www.google.com/bot.html)', true],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36', true],
    ['curl/8.5.0', true],
    ['', true],
    [CHROME_MAC, false],
    [SAFARI_IPHONE, false],
  ])('%s → %s', (ua, bot) => expect(isBotUserAgent(ua)).toBe(bot));
});

describe('user agent', () => {
  it('parses browser, OS and device', () => {
    expect(parseUserAgent(CHROME_MAC, 1440)).toEqual({ browser: 'Chrome', browser_version: '126.0', os: 'macOS', os_version: '10.15', device: 'Desktop' });
    expect(parseUserAgent(SAFARI_IPHONE, 390)).toEqual({ browser: 'Mobile Safari', browser_version: '17.5', os: 'iOS', os_version: '17.5', device: 'Mobile' });
    expect(parseUserAgent(FIREFOX_WIN).browser).toBe('Firefox');
  });
  it('falls back to screen width for the device type', () => {
    expect(parseUserAgent(FIREFOX_WIN, 800).device).toBe('Tablet');
    expect(parseUserAgent(FIREFOX_WIN, 400).device).toBe('Mobile');
  });
});

describe('page URL', () => {
  it('keeps host and path, drops the query except attribution', () => {
    expect(normalizePage('https://www.Example.com/blog/post/?utm_source=hn&utm_medium=social&email=a@b.c#top', false)).toEqual({
      hostname: 'example.com',
      pathname: '/blog/post',
      utm: { source: 'hn', medium: 'social', campaign: '', content: '', term: '' },
      ref: '',
      paidClickId: false,
    });
  });
  it('keeps the hash in hash mode', () => {
    expect(normalizePage('https://a.test/#/settings', true).pathname).toBe('/#/settings');
    expect(normalizePage('https://a.test/#/settings', false).pathname).toBe('/');
  });
  it('decodes the path and notices paid click ids', () => {
    const p = normalizePage('https://a.test/caf%C3%A9?gclid=x&ref=producthunt', false);
    expect([p.pathname, p.paidClickId, p.ref]).toEqual(['/café', true, 'producthunt']);
  });
});

describe('referrer classification', () => {
  const page = (url: string) => normalizePage(url, false);
  it.each([
    ['https://www.google.com/', 'https://a.test/', 'Google', 'Organic Search'],
    ['https://www.google.co.uk/search?q=x', 'https://a.test/', 'Google', 'Organic Search'],
    ['https://duckduckgo.com/', 'https://a.test/', 'DuckDuckGo', 'Organic Search'],
    ['https://t.co/abc', 'https://a.test/', 'Twitter', 'Organic Social'],
    ['https://news.ycombinator.com/item?id=1', 'https://a.test/', 'Hacker News', 'Organic Social'],
    ['https://www.youtube.com/watch?v=1', 'https://a.test/', 'YouTube', 'Organic Video'],
    ['https://mail.google.com/', 'https://a.test/', 'Gmail', 'Email'],
    ['https://blog.example.org/post', 'https://a.test/', 'blog.example.org', 'Referral'],
    ['', 'https://a.test/', '', 'Direct'],
    ['https://a.test/other', 'https://a.test/', '', 'Direct'],
    ['https://www.google.com/', 'https://a.test/?gclid=123', 'Google', 'Paid Search'],
    ['', 'https://a.test/?utm_source=facebook&utm_medium=cpc', 'Facebook', 'Paid Social'],
    ['', 'https://a.test/?utm_source=newsletter&utm_medium=email', 'Newsletter', 'Email'],
    ['', 'https://a.test/?ref=producthunt', 'producthunt', 'Unknown'],
  ])('%s on %s → %s / %s', (referrer, url, source, channel) => {
    const r = classifyReferrer(referrer, page(url));
    expect([r.referrer_source, r.channel]).toEqual([source, channel]);
  });
  it('stores the referrer without its query string', () => {
    expect(classifyReferrer('https://www.example.org/a/b?token=secret', page('https://a.test/')).referrer).toBe('example.org/a/b');
  });
});

describe('client IP', () => {
  const h = (v: Record<string, string>) => (name: string) => new Headers(v).get(name);
  it('uses the socket unless a proxy is trusted', () => {
    expect(clientIp(h({ 'x-forwarded-for': '1.2.3.4' }), '::ffff:10.0.0.1', false)).toBe('10.0.0.1');
    expect(clientIp(h({ 'x-forwarded-for': '1.2.3.4, 10.0.0.2' }), '10.0.0.1', true)).toBe('1.2.3.4');
    expect(clientIp(h({ 'x-forwarded-for': '1.2.3.4:5678' }), '10.0.0.1', true)).toBe('1.2.3.4');
    expect(clientIp(h({}), '10.0.0.1', true)).toBe('10.0.0.1');
  });
});
