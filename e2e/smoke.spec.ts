import { expect, test } from './fixtures';

test('an event posted to the running server is stored with its enrichment', async ({ sightline, request }) => {
  await sightline.addSite('smoke.test');
  const res = await request.post(`${sightline.url}/api/event`, {
    headers: { 'Content-Type': 'text/plain', 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36' },
    data: JSON.stringify({ n: 'pageview', u: 'https://smoke.test/pricing?utm_source=newsletter&secret=1', d: 'smoke.test', r: 'https://www.google.com/' }),
  });
  expect(res.status()).toBe(202);
  const rows = await sightline.query<{ pathname: string; referrer_source: string; browser: string; utm_source: string }>(
    'SELECT pathname, referrer_source, browser, utm_source FROM events WHERE site_id = {s:String}',
    { s: 'smoke.test' },
  );
  expect(rows).toEqual([{ pathname: '/pricing', referrer_source: 'Google', browser: 'Chrome', utm_source: 'newsletter' }]);
});
