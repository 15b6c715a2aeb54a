/**
 * The embedded default end to end, over real HTTP: one web process with the
 * worker and ClickHouse (chdb) inside, data kept across a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MALFORMED } from '../fixtures/malformed';
import { addSite, BROWSER_UA, openDataDir, postPageviews, startWeb, tempDir, type WebNode } from './support/processes';

const DOMAIN = 'embedded.test';
let dataDir: string;
let web: WebNode;
let accepted = 0;

beforeAll(async () => {
  dataDir = tempDir('embedded');
  web = await startWeb({ DATA_DIR: dataDir });
  await addSite(web, DOMAIN);
  await addSite(web, 'malformed.test');
});

afterAll(async () => {
  await web?.stop();
});

describe('embedded default', () => {
  it('answers 202 for every event, single and batched', async () => {
    const single = await postPageviews(web.url, DOMAIN, 200, 1);
    const batched = await postPageviews(web.url, DOMAIN, 400, 20);
    expect(single).toEqual(Array(200).fill(202));
    expect(batched).toEqual(Array(20).fill(202));
    accepted += 600;
  });

  it('rejects 50 kinds of malformed payloads with a reason and stays up', async () => {
    expect(MALFORMED).toHaveLength(51);
    for (const m of MALFORMED) {
      const res = await fetch(`${web.url}/api/event`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
        body: m.body,
      });
      const body = (await res.json()) as { error: string; detail: string };
      expect({ label: m.label, status: res.status, error: body.error }).toEqual({ label: m.label, status: m.status ?? 400, error: m.reason });
      expect(body.detail.length).toBeGreaterThan(0);
    }
    expect((await fetch(`${web.url}/api/health`)).status).toBe(200);
  });

  it('rejects an unknown site with unknown_site', async () => {
    const res = await fetch(`${web.url}/api/event`, {
      method: 'POST',
      headers: { 'user-agent': BROWSER_UA },
      body: JSON.stringify({ n: 'pageview', u: 'https://nobody.test/', d: 'nobody.test' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('unknown_site');
  });

  it('answers CORS preflights for cross-origin trackers', async () => {
    const res = await fetch(`${web.url}/api/event`, { method: 'OPTIONS', headers: { origin: 'https://elsewhere.test' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('keeps the data across a restart', async () => {
    await web.stop();
    web = await startWeb({ DATA_DIR: dataDir });
    const after = await postPageviews(web.url, DOMAIN, 10, 1);
    expect(after).toEqual(Array(10).fill(202));
    accepted += 10;
    expect(await web.stop()).toBe(0);

    const db = await openDataDir(dataDir);
    try {
      const [counts] = await db.query<{ rows: string; ids: string; malformed: string }>(
        `SELECT countIf(site_id = {d:String}) AS rows, uniqExactIf(event_id, site_id = {d:String}) AS ids,
                countIf(site_id = 'malformed.test') AS malformed FROM events`,
        { d: DOMAIN },
      );
      expect(counts).toEqual({ rows: String(accepted), ids: String(accepted), malformed: '0' });
    } finally {
      await db.close();
    }
  });
});
