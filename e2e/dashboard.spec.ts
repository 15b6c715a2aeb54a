/**
 * The dashboard end to end, in Chromium against the real server: first-run
 * setup, adding a site, events through /api/event, the dashboard showing
 * them, filtering by a click, URL state surviving a reload, and a share link
 * that works signed out until it is revoked.
 */
import type { APIRequestContext } from '@playwright/test';
import { expect as baseExpect, test } from './fixtures';

// Cold page renders on a busy 2-core machine can take several seconds; wait longer than the default.
const expect = baseExpect.configure({ timeout: 30_000 });

const SITE = 'dash.test';
const EMAIL = 'owner@dash.test';
const PASSWORD = 'e2e-owner-password';

const ua = (n: number) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${120 + n}.0.0.0 Safari/537.36`;

async function send(request: APIRequestContext, base: string, visitor: number, body: Record<string, unknown>) {
  const res = await request.post(`${base}/api/event`, {
    headers: { 'Content-Type': 'text/plain', 'User-Agent': ua(visitor) },
    data: JSON.stringify({ d: SITE, ...body }),
  });
  expect(res.status()).toBe(202);
}

test('setup, site, events, filters, URL state and share links', async ({ sightline, page, browser, request }) => {
  test.setTimeout(180_000);
  const base = sightline.url;

  await test.step('first run shows setup and creates the owner', async () => {
    await page.goto(base);
    await expect(page).toHaveURL(/\/setup$/);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/sites$/);
    // Setup is closed once an account exists.
    await page.goto(`${base}/setup`);
    await expect(page).toHaveURL(/\/sites$/);
  });

  await test.step('add a site; its dashboard shows the snippet while empty', async () => {
    await page.getByLabel('Domain').fill(SITE);
    await page.getByRole('button', { name: 'Add site' }).click();
    await expect(page).toHaveURL(new RegExp(`/sites/${SITE}$`));
    await expect(page.getByTestId('empty-state')).toBeVisible();
    await expect(page.getByTestId('snippet')).toHaveText(`<script defer data-site="${SITE}" src="${base}/t.js"></script>`);
  });

  await test.step('events posted to /api/event are stored', async () => {
    for (let v = 0; v < 3; v++) await send(request, base, v, { n: 'pageview', u: `https://${SITE}/pricing`, r: 'https://www.google.com/' });
    for (let v = 3; v < 5; v++) await send(request, base, v, { n: 'pageview', u: `https://${SITE}/` });
    await send(request, base, 5, { n: 'pageview', u: `https://${SITE}/blog/hello`, r: 'https://news.ycombinator.com/' });
    await send(request, base, 0, { n: 'Signup', u: `https://${SITE}/pricing`, p: { plan: 'pro' } });
    await sightline.waitForRows('SELECT 1 FROM events WHERE site_id = {s:String}', { s: SITE }, 7);
  });

  // The Stats API requests the page sends (realtime polling aside), by endpoint.
  const sent: string[] = [];
  page.on('request', (r) => {
    const m = /\/api\/v1\/stats\/(aggregate|timeseries|breakdown|dashboard)\?/.exec(r.url());
    if (m) sent.push(m[1]!);
  });

  await test.step('the dashboard shows them, from the call the server started', async () => {
    await page.reload();
    await expect(page.getByTestId('empty-state')).toHaveCount(0);
    await expect(page.getByTestId('stat-visitors')).toHaveText('6');
    const sources = page.getByTestId('breakdown-sources');
    await expect(sources.getByRole('button', { name: /Google/ })).toBeVisible();
    await expect(page.getByTestId('breakdown-top-pages').getByRole('button', { name: /\/blog\/hello/ })).toBeVisible();
    await expect(page.getByTestId('breakdown-top-pages').getByRole('button', { name: /\/pricing/ })).toContainText('3');
    // Every card done loading, none in error.
    await expect(page.locator('main').getByRole('status')).toHaveCount(0);
    await expect(page.locator('main').getByRole('alert')).toHaveCount(0);
    // Top stats, chart and every card's first tab came from the one call, which the server
    // started while rendering the page: the browser sent no Stats API request.
    expect(sent).toEqual([]);
  });

  await test.step('a tab the one call does not hold asks for its own report', async () => {
    await page.getByRole('tab', { name: 'Versions' }).click();
    await expect(page.getByTestId('breakdown-browser-versions').getByRole('button', { name: /Chrome 12\d/ }).first()).toBeVisible();
    expect(sent).toEqual(['breakdown']);
  });

  await test.step('clicking a row filters the dashboard', async () => {
    sent.length = 0;
    await page.getByTestId('breakdown-sources').getByRole('button', { name: /Google/ }).click();
    await expect(page.getByTestId('filter-chip')).toHaveText(/Source is Google/);
    await expect.poll(() => new URL(page.url()).searchParams.get('filters')).toBe('visit:source==Google');
    await expect(page.getByTestId('stat-visitors')).toHaveText('3');
    const pages = page.getByTestId('breakdown-top-pages');
    await expect(pages.getByRole('button', { name: /\/pricing/ })).toBeVisible();
    await expect(pages.getByRole('button', { name: /\/blog\/hello/ })).toHaveCount(0);
    // The filtered view is one call from the browser, but for the tab left on browser versions.
    expect(sent.sort()).toEqual(['breakdown', 'dashboard']);
  });

  await test.step('URL state is restored after a reload', async () => {
    await page.getByTestId('period').selectOption('7d');
    await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('7d');
    await page.getByLabel('Compare with previous period').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('compare')).toBe('off');
    const before = page.url();
    await page.reload();
    expect(page.url()).toBe(before);
    await expect(page.getByTestId('filter-chip')).toHaveText(/Source is Google/);
    await expect(page.getByTestId('period')).toHaveValue('7d');
    await expect(page.getByLabel('Compare with previous period')).not.toBeChecked();
    await expect(page.getByTestId('stat-visitors')).toHaveText('3');
    // Removing the filter with the keyboard.
    await page.getByRole('button', { name: /Remove filter: Source is Google/ }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('filter-chip')).toHaveCount(0);
    await expect(page.getByTestId('stat-visitors')).toHaveText('6');
  });

  let shareUrl = '';
  await test.step('a share link opens the dashboard signed out', async () => {
    await page.getByRole('link', { name: 'Site settings' }).click();
    await page.getByRole('button', { name: 'Create share link' }).click();
    shareUrl = (await page.getByTestId('share-link').locator('code').textContent()) ?? '';
    expect(shareUrl).toMatch(new RegExp(`^${base}/share/[\\w-]{20,}$`));

    const anonymous = await browser.newContext();
    const viewer = await anonymous.newPage();
    await viewer.goto(`${base}/sites/${SITE}`);
    await expect(viewer).toHaveURL(/\/login\?next=/);
    await viewer.goto(shareUrl);
    await expect(viewer.getByRole('heading', { name: SITE })).toBeVisible();
    await expect(viewer.getByTestId('stat-visitors')).toHaveText('6');
    await expect(viewer.getByTestId('breakdown-sources').getByRole('button', { name: /Google/ })).toBeVisible();
    await expect(viewer.getByRole('link', { name: 'Site settings' })).toHaveCount(0);
    await anonymous.close();
  });

  await test.step('a revoked share link stops working', async () => {
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('share-link').getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByTestId('share-link')).toHaveCount(0);

    const anonymous = await browser.newContext();
    const viewer = await anonymous.newPage();
    const res = await viewer.goto(shareUrl);
    expect(res?.status()).toBe(404);
    const token = shareUrl.split('/').pop();
    const api = await anonymous.request.get(`${base}/api/v1/stats/aggregate?site_id=${SITE}&period=30d&metrics=visitors&auth=${token}`);
    expect(api.status()).toBe(401);
    await anonymous.close();
  });

  await test.step('sign out, then sign in again through the form', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto(`${base}/sites/${SITE}?period=7d`);
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Wrong email or password' })).toBeVisible();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(new RegExp(`/sites/${SITE}\\?period=7d$`));
    await expect(page.getByTestId('stat-visitors')).toHaveText('6');
  });
});

test('goals: defined in settings, shown as conversions, filterable', async ({ sightline, page, request }) => {
  const base = sightline.url;
  const domain = 'goals.test';
  const setup = await page.request.post(`${base}/api/auth/setup`, { data: { email: EMAIL, password: PASSWORD } });
  expect([201, 409]).toContain(setup.status());
  expect((await page.request.post(`${base}/api/auth/login`, { data: { email: EMAIL, password: PASSWORD } })).status()).toBe(200);
  expect((await page.request.post(`${base}/api/sites`, { data: { domain } })).status()).toBe(201);
  for (let v = 0; v < 4; v++) {
    const res = await request.post(`${base}/api/event`, {
      headers: { 'Content-Type': 'text/plain', 'User-Agent': ua(v) },
      data: JSON.stringify({ d: domain, n: 'pageview', u: `https://${domain}/` }),
    });
    expect(res.status()).toBe(202);
  }
  const signup = await request.post(`${base}/api/event`, {
    headers: { 'Content-Type': 'text/plain', 'User-Agent': ua(0) },
    data: JSON.stringify({ d: domain, n: 'Signup', u: `https://${domain}/`, p: { plan: 'pro' } }),
  });
  expect(signup.status()).toBe(202);
  await sightline.waitForRows('SELECT 1 FROM events WHERE site_id = {s:String}', { s: domain }, 5);

  await page.goto(`${base}/sites/${domain}/settings`);
  await page.getByLabel('Event name').fill('Signup');
  await page.getByRole('button', { name: 'Add goal' }).click();
  await expect(page.getByRole('cell', { name: 'Signup' })).toBeVisible();

  await page.goto(`${base}/sites/${domain}`);
  const goals = page.getByTestId('breakdown-goals');
  await expect(goals.getByRole('button', { name: /Signup/ })).toContainText('25%');
  await goals.getByRole('button', { name: /Signup/ }).click();
  await expect(page.getByTestId('filter-chip')).toHaveText(/Goal is Signup/);
  // With a goal filter the top stats are conversions; visit metrics would not apply.
  await expect(page.getByTestId('stat-conversion_rate')).toHaveText('25%');
  await expect(page.getByTestId('stat-visitors')).toHaveText('1');
  await expect(page.getByTestId('stat-bounce_rate')).toHaveCount(0);
  await expect(page.locator('main').getByRole('alert')).toHaveCount(0);
  // Custom property breakdown.
  await page.getByRole('tab', { name: 'Properties' }).click();
  await expect(page.getByTestId('breakdown-props').getByRole('button', { name: /pro/ })).toBeVisible();
});

test('pages answer each kind of caller as they should', async ({ sightline, browser }) => {
  const base = sightline.url;
  const domain = 'pages.test';
  // Self-contained: the owner may exist already (same server as the test above) or not (fresh worker).
  const owner = await browser.newContext();
  const setup = await owner.request.post(`${base}/api/auth/setup`, { data: { email: EMAIL, password: PASSWORD } });
  expect([201, 409]).toContain(setup.status());
  expect((await owner.request.post(`${base}/api/auth/login`, { data: { email: EMAIL, password: PASSWORD } })).status()).toBe(200);
  expect((await owner.request.post(`${base}/api/sites`, { data: { domain } })).status()).toBe(201);

  const anonymous = await browser.newContext();
  const cases: [string, number | RegExp][] = [
    ['/', /\/login$/],
    ['/setup', /\/login$/],
    ['/sites', /\/login\?next=/],
    [`/sites/${domain}`, /\/login\?next=/],
    [`/sites/${domain}/settings`, /\/login\?next=/],
    ['/account', /\/login\?next=/],
    ['/share/not-a-valid-token-at-all', 404],
    [`/sites/${domain}?auth=not-a-valid-token-at-all`, /\/login\?next=/],
  ];
  for (const [path, expected] of cases) {
    const p = await anonymous.newPage();
    const res = await p.goto(`${base}${path}`);
    if (typeof expected === 'number') expect(res?.status(), path).toBe(expected);
    else await expect(p, path).toHaveURL(expected);
    await p.close();
  }

  // Another account sees neither the dashboard nor the settings of the site.
  const other = await browser.newContext();
  const admin = await sightline.query<{ n: string }>('SELECT count() AS n FROM users');
  expect(Number(admin[0]?.n)).toBeGreaterThan(0);
  const { createUser } = await import('../db/users');
  const { hashPassword } = await import('../lib/auth/password');
  const { getRuntime } = await import('../lib/runtime');
  await createUser((await getRuntime()).db, { email: 'other@dash.test', passwordHash: await hashPassword('other-password') }).catch(() => undefined);
  expect((await other.request.post(`${base}/api/auth/login`, { data: { email: 'other@dash.test', password: 'other-password' } })).status()).toBe(200);
  for (const path of [`/sites/${domain}`, `/sites/${domain}/settings`]) {
    expect((await other.request.get(`${base}${path}`)).status(), path).toBe(404);
  }

  // The public toggle makes the dashboard readable signed out; a foreign Origin cannot flip it.
  const cross = await owner.request.patch(`${base}/api/sites/${domain}`, { data: { public: true }, headers: { origin: 'http://evil.example' } });
  expect(cross.status()).toBe(403);
  expect((await owner.request.patch(`${base}/api/sites/${domain}`, { data: { public: true }, headers: { origin: base } })).status()).toBe(200);
  const p = await anonymous.newPage();
  await p.goto(`${base}/sites/${domain}`);
  await expect(p.getByText('Public dashboard')).toBeVisible();
  await expect(p.getByTestId('stat-visitors')).toHaveText('0');
  await Promise.all([owner.close(), anonymous.close(), other.close()]);
});
