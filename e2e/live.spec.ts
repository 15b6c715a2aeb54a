/**
 * The live page moves without a reload: visitors online, the feed and the
 * top pages change as events are posted; a filter applies live.
 */
import { expect, test } from './fixtures';

const UA = (i: number) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.${i} Safari/537.36`;

test('the live page shows the visitor count change after events are posted, without a reload', async ({ sightline, page, request }) => {
  await sightline.addSite('live-e2e.test', { public: true });
  const post = async (visitor: number, path: string, name = 'pageview') => {
    const res = await request.post(`${sightline.url}/api/event`, {
      headers: { 'Content-Type': 'text/plain', 'User-Agent': UA(visitor) },
      data: JSON.stringify({ n: name, u: `https://live-e2e.test${path}`, d: 'live-e2e.test' }),
    });
    expect(res.status()).toBe(202);
  };

  await page.goto(`${sightline.url}/sites/live-e2e.test/live`);
  // Survives only as long as the document does: a reload would drop it.
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  await expect(page.getByTestId('live-online')).toHaveText('0');

  await post(1, '/');
  await expect(page.getByTestId('live-online')).toHaveText('1');
  await post(2, '/pricing');
  await post(3, '/pricing');
  await expect(page.getByTestId('live-online')).toHaveText('3');
  await expect(page.getByTestId('live-top-page')).toContainText('/pricing');
  await expect(page.getByTestId('live-feed').locator('li')).toHaveCount(3);

  // Filter by clicking a top page: counts follow the filter, still live.
  await page.getByTestId('live-top-page').getByRole('button', { name: /\/pricing/ }).click();
  await expect(page.getByTestId('live-filter-page')).toContainText('/pricing');
  await expect(page.getByTestId('live-online')).toHaveText('2');
  expect(new URL(page.url()).searchParams.get('page')).toBe('/pricing');
  await post(4, '/');
  await post(5, '/pricing');
  await expect(page.getByTestId('live-online')).toHaveText('3');

  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
});

test('a private site is not shown', async ({ sightline, page }) => {
  await sightline.addSite('live-private-e2e.test', { public: false });
  const res = await page.goto(`${sightline.url}/sites/live-private-e2e.test/live`);
  expect(res?.status()).toBe(404);
});
