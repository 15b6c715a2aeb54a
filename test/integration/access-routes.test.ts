/**
 * Access control across every account/site route and the Stats API, on a
 * real embedded ClickHouse (chdb) in a temp data dir. Route handlers are
 * called directly with constructed Requests, as four callers: anonymous,
 * another signed-in user, a share-link holder, and the owner.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-access-'));
process.env.DATA_DIR = tmp;
process.env.LOG_LEVEL = 'silent';
delete process.env.KAFKA_BROKERS;
delete process.env.CLICKHOUSE_URL;
delete process.env.SESSION_SECRET;

// Route contexts differ per segment ({domain}, {id}...); any params object is accepted here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (req: Request, ctx: { params: Promise<any> }) => Promise<Response>;
type RouteModule = Partial<Record<'GET' | 'POST' | 'PATCH' | 'DELETE', Handler>>;
type Who = 'anonymous' | 'wrongUser' | 'shareHolder' | 'owner';
const WHO: Who[] = ['anonymous', 'wrongUser', 'shareHolder', 'owner'];

const BASE = 'http://sightline.test';
const OWNED = 'owned.test';
const PUBLIC = 'public.test';
const OTHERS = 'others.test';

let rt: Awaited<ReturnType<typeof import('../../lib/runtime').getRuntime>>;
const headersFor: Record<Who, Record<string, string>> = { anonymous: {}, wrongUser: {}, shareHolder: {}, owner: {} };
let shareToken = '';
let ownerApiKey = '';
let ownerKeyId = '';

const routes = {
  setup: () => import('../../app/api/auth/setup/route'),
  login: () => import('../../app/api/auth/login/route'),
  logout: () => import('../../app/api/auth/logout/route'),
  me: () => import('../../app/api/auth/me/route'),
  users: () => import('../../app/api/auth/users/route'),
  sites: () => import('../../app/api/sites/route'),
  site: () => import('../../app/api/sites/[domain]/route'),
  share: () => import('../../app/api/sites/[domain]/share/route'),
  shareOne: () => import('../../app/api/sites/[domain]/share/[id]/route'),
  goals: () => import('../../app/api/sites/[domain]/goals/route'),
  goalOne: () => import('../../app/api/sites/[domain]/goals/[id]/route'),
  props: () => import('../../app/api/sites/[domain]/props/route'),
  keys: () => import('../../app/api/keys/route'),
  keyOne: () => import('../../app/api/keys/[id]/route'),
} satisfies Record<string, () => Promise<RouteModule>>;

const STATS_DIR = path.resolve(__dirname, '../../app/api/v1/stats');
const statsRoute = (name: string) => path.join(STATS_DIR, name, 'route.ts');
const statsAvailable = ['aggregate', 'timeseries', 'breakdown', 'realtime/visitors'].every((n) => fs.existsSync(statsRoute(n)));

async function call(
  mod: RouteModule,
  method: keyof RouteModule,
  url: string,
  opts: { headers?: Record<string, string>; body?: unknown; params?: Record<string, string> } = {},
): Promise<Response> {
  const handler = mod[method];
  if (!handler) throw new Error(`no ${method} handler for ${url}`);
  const headers: Record<string, string> = { 'x-sightline-socket-ip': '10.0.0.1', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const req = new Request(`${BASE}${url}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  return handler(req, { params: Promise.resolve(opts.params ?? {}) });
}

async function login(email: string, password: string): Promise<string> {
  const res = await call(await routes.login(), 'POST', '/api/auth/login', { body: { email, password } });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly; SameSite=Lax/);
  return cookie.split(';')[0]!;
}

beforeAll(async () => {
  const { getRuntime } = await import('../../lib/runtime');
  rt = await getRuntime();
  const { createUser } = await import('../../db/users');
  const { hashPassword } = await import('../../lib/auth/password');
  const { upsertSite } = await import('../../db/sites');

  // First run: setup creates the owner and signs them in.
  const setup = await routes.setup();
  expect(await (await call(setup, 'GET', '/api/auth/setup')).json()).toEqual({ needed: true });
  const created = await call(setup, 'POST', '/api/auth/setup', { body: { email: 'owner@example.com', password: 'owner-password' } });
  expect(created.status).toBe(201);
  expect(created.headers.get('set-cookie')).toMatch(/^sightline_session=/);
  headersFor.owner = { cookie: await login('owner@example.com', 'owner-password') };

  await createUser(rt.db, { email: 'other@example.com', passwordHash: await hashPassword('other-password') });
  headersFor.wrongUser = { cookie: await login('other@example.com', 'other-password') };

  // Sites: owned by the owner (created through the API), public, and someone else's.
  const sites = await routes.sites();
  for (const domain of [OWNED, PUBLIC, 'to-delete.test']) {
    expect((await call(sites, 'POST', '/api/sites', { headers: headersFor.owner, body: { domain, timezone: 'Europe/Berlin' } })).status).toBe(201);
  }
  expect((await call(await routes.site(), 'PATCH', `/api/sites/${PUBLIC}`, { headers: headersFor.owner, body: { public: true }, params: { domain: PUBLIC } })).status).toBe(200);
  const other = await (await import('../../db/users')).findUserByEmail(rt.db, 'other@example.com');
  await upsertSite(rt.db, { domain: OTHERS, owner_id: other!.id });
  const { invalidateAuthCache } = await import('../../lib/auth/cache');
  invalidateAuthCache();

  const link = await call(await routes.share(), 'POST', `/api/sites/${OWNED}/share`, { headers: headersFor.owner, params: { domain: OWNED } });
  shareToken = ((await link.json()) as { token: string }).token;
  headersFor.shareHolder = { 'x-sightline-share': shareToken };

  const key = await call(await routes.keys(), 'POST', '/api/keys', { headers: headersFor.owner, body: { name: 'ci' } });
  const keyBody = (await key.json()) as { key: string; id: string };
  ownerApiKey = keyBody.key;
  ownerKeyId = keyBody.id;
}, 120_000);

afterAll(async () => {
  const { closeRuntime } = await import('../../lib/runtime');
  await closeRuntime();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Case {
  name: string;
  route: keyof typeof routes;
  method: keyof RouteModule;
  url: string;
  params?: Record<string, string>;
  /** A body, or a function giving one per caller (e.g. a fresh domain). */
  body?: unknown | ((who: Who) => unknown | Promise<unknown>);
  /** Per-caller setup returning params (e.g. a fresh share link to revoke). */
  prepare?: (who: Who) => Promise<Record<string, string>>;
  expect: Record<Who, number>;
}

const freshLink = async () => {
  const res = await call(await routes.share(), 'POST', `/api/sites/${OWNED}/share`, { headers: headersFor.owner, params: { domain: OWNED } });
  return { domain: OWNED, id: ((await res.json()) as { id: string }).id };
};
const freshGoal = async (who: Who) => {
  const res = await call(await routes.goals(), 'POST', `/api/sites/${OWNED}/goals`, {
    headers: headersFor.owner,
    body: { kind: 'event', event_name: `Goal for ${who}` },
    params: { domain: OWNED },
  });
  return { domain: OWNED, id: ((await res.json()) as { id: string }).id };
};
const freshKey = async () => {
  const res = await call(await routes.keys(), 'POST', '/api/keys', { headers: headersFor.owner, body: { name: 'to revoke' } });
  return { id: ((await res.json()) as { id: string }).id };
};

const owned = { domain: OWNED };
const CASES: Case[] = [
  { name: 'who am I', route: 'me', method: 'GET', url: '/api/auth/me', expect: { anonymous: 401, wrongUser: 200, shareHolder: 401, owner: 200 } },
  { name: 'setup after first run', route: 'setup', method: 'POST', url: '/api/auth/setup', body: { email: 'x@example.com', password: 'whatever-123' }, expect: { anonymous: 409, wrongUser: 409, shareHolder: 409, owner: 409 } },
  { name: 'loopback user admin without its token', route: 'users', method: 'GET', url: '/api/auth/users', expect: { anonymous: 403, wrongUser: 403, shareHolder: 403, owner: 403 } },
  { name: 'list my sites', route: 'sites', method: 'GET', url: '/api/sites', expect: { anonymous: 401, wrongUser: 200, shareHolder: 401, owner: 200 } },
  { name: 'add a site', route: 'sites', method: 'POST', url: '/api/sites', body: (who: Who) => ({ domain: `new-${who.toLowerCase()}.test` }), expect: { anonymous: 401, wrongUser: 201, shareHolder: 401, owner: 201 } },
  { name: 'add a site someone registered', route: 'sites', method: 'POST', url: '/api/sites', body: { domain: OTHERS }, expect: { anonymous: 401, wrongUser: 409, shareHolder: 401, owner: 409 } },
  { name: 'read a private site', route: 'site', method: 'GET', url: `/api/sites/${OWNED}`, params: owned, expect: { anonymous: 401, wrongUser: 404, shareHolder: 200, owner: 200 } },
  { name: 'read a public site', route: 'site', method: 'GET', url: `/api/sites/${PUBLIC}`, params: { domain: PUBLIC }, expect: { anonymous: 200, wrongUser: 200, shareHolder: 200, owner: 200 } },
  { name: "read someone else's site", route: 'site', method: 'GET', url: `/api/sites/${OTHERS}`, params: { domain: OTHERS }, expect: { anonymous: 401, wrongUser: 200, shareHolder: 401, owner: 404 } },
  { name: 'read a site that does not exist', route: 'site', method: 'GET', url: '/api/sites/nowhere.test', params: { domain: 'nowhere.test' }, expect: { anonymous: 401, wrongUser: 404, shareHolder: 401, owner: 404 } },
  { name: 'edit a site', route: 'site', method: 'PATCH', url: `/api/sites/${OWNED}`, params: owned, body: { timezone: 'UTC' }, expect: { anonymous: 401, wrongUser: 404, shareHolder: 401, owner: 200 } },
  { name: 'edit a public site', route: 'site', method: 'PATCH', url: `/api/sites/${PUBLIC}`, params: { domain: PUBLIC }, body: { public: true }, expect: { anonymous: 401, wrongUser: 403, shareHolder: 401, owner: 200 } },
  { name: 'delete without confirmation', route: 'site', method: 'DELETE', url: '/api/sites/to-delete.test', params: { domain: 'to-delete.test' }, body: { confirm: 'nope' }, expect: { anonymous: 401, wrongUser: 404, shareHolder: 401, owner: 400 } },
  { name: 'list share links', route: 'share', method: 'GET', url: `/api/sites/${OWNED}/share`, params: owned, expect: { anonymous: 401, wrongUser: 404, shareHolder: 401, owner: 200 } },
  { name: 'create a share link', route: 'share', method: 'POST', url: `/api/sites/${OWNED}/share`, params: owned, expect: { anonymous: 401, wrongUser: 404, shareHolder: 401, owner: 201 } },
  { name: 'revoke a share link', route: 'shareOne', method: 'DELETE', url: `/api/sites/${OWNED}/share/ID`, prepare: freshLink, expect: { anonymous: 401, wrongUser: 404, shareHolder: 401, owner: 200 } },
  { name: 'list goals', route: 'goals', method: 'GET', url: `/api/sites/${OWNED}/goals`, params: owned, expect: { anonymous: 401, wrongUser: 404, shareHolder: 200, owner: 200 } },
  { name: 'add a goal', route: 'goals', method: 'POST', url: `/api/sites/${OWNED}/goals`, params: owned, body: { kind: 'page', page_path: '/thanks' }, expect: { anonymous: 401, wrongUser: 404, shareHolder: 401, owner: 201 } },
  { name: 'remove a goal', route: 'goalOne', method: 'DELETE', url: `/api/sites/${OWNED}/goals/ID`, prepare: freshGoal, expect: { anonymous: 401, wrongUser: 404, shareHolder: 401, owner: 200 } },
  { name: 'list custom property keys', route: 'props', method: 'GET', url: `/api/sites/${OWNED}/props`, params: owned, expect: { anonymous: 401, wrongUser: 404, shareHolder: 200, owner: 200 } },
  { name: 'list API keys', route: 'keys', method: 'GET', url: '/api/keys', expect: { anonymous: 401, wrongUser: 200, shareHolder: 401, owner: 200 } },
  { name: 'create an API key', route: 'keys', method: 'POST', url: '/api/keys', body: { name: 'k' }, expect: { anonymous: 401, wrongUser: 201, shareHolder: 401, owner: 201 } },
  { name: "revoke the owner's API key", route: 'keyOne', method: 'DELETE', url: '/api/keys/ID', prepare: freshKey, expect: { anonymous: 401, wrongUser: 404, shareHolder: 401, owner: 200 } },
  { name: 'sign out', route: 'logout', method: 'POST', url: '/api/auth/logout', expect: { anonymous: 200, wrongUser: 200, shareHolder: 200, owner: 200 } },
];

describe('account and site routes', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const mod = await routes[c.route]();
      const got: Record<string, number> = {};
      for (const who of WHO) {
        const params = c.prepare ? await c.prepare(who) : (c.params ?? {});
        const url = params.id ? c.url.replace('ID', params.id) : c.url;
        const body = typeof c.body === 'function' ? await (c.body as (w: Who) => unknown)(who) : c.body;
        got[who] = (await call(mod, c.method, url, { headers: headersFor[who], body, params })).status;
      }
      expect(got).toEqual(c.expect);
    });
  }

  it('an API key acts as its user; a revoked one does not', async () => {
    const bearer = { authorization: `Bearer ${ownerApiKey}` };
    const site = await routes.site();
    expect((await call(site, 'GET', `/api/sites/${OWNED}`, { headers: bearer, params: owned })).status).toBe(200);
    expect((await call(await routes.keyOne(), 'DELETE', `/api/keys/${ownerKeyId}`, { headers: headersFor.owner, params: { id: ownerKeyId } })).status).toBe(200);
    expect((await call(site, 'GET', `/api/sites/${OWNED}`, { headers: bearer, params: owned })).status).toBe(401);
  });

  it('a share token opens only its own site', async () => {
    const site = await routes.site();
    expect((await call(site, 'GET', `/api/sites/${OTHERS}?auth=${shareToken}`, { params: { domain: OTHERS } })).status).toBe(401);
    expect((await call(site, 'GET', `/api/sites/${OWNED}?auth=${shareToken}`, { params: owned })).status).toBe(200);
  });

  it('refuses state changes from another origin', async () => {
    const res = await call(await routes.sites(), 'POST', '/api/sites', {
      headers: { ...headersFor.owner, origin: 'http://evil.test', host: 'sightline.test' },
      body: { domain: 'csrf.test' },
    });
    expect(res.status).toBe(403);
    const same = await call(await routes.sites(), 'POST', '/api/sites', {
      headers: { ...headersFor.owner, origin: BASE, host: 'sightline.test' },
      body: { domain: 'same-origin.test' },
    });
    expect(same.status).toBe(201);
    // Behind a proxy that rewrites Host, browsers still say the request is same-origin.
    const proxied = await call(await routes.sites(), 'POST', '/api/sites', {
      headers: { ...headersFor.owner, origin: 'https://stats.example.com', host: '127.0.0.1:3000', 'sec-fetch-site': 'same-origin' },
      body: { domain: 'behind-proxy.test' },
    });
    expect(proxied.status).toBe(201);
    const foreign = await call(await routes.sites(), 'POST', '/api/sites', {
      headers: { ...headersFor.owner, origin: BASE, host: 'sightline.test', 'sec-fetch-site': 'cross-site' },
      body: { domain: 'foreign.test' },
    });
    expect(foreign.status).toBe(403);
  });

  it('deletes a site with its data after confirmation', async () => {
    const domain = 'to-delete.test';
    await rt.db.insert('events', [{ event_id: crypto.randomUUID(), site_id: domain, timestamp: '2025-01-01 00:00:00.000', name: 'pageview', pathname: '/' }]);
    const res = await call(await routes.site(), 'DELETE', `/api/sites/${domain}`, { headers: headersFor.owner, body: { confirm: domain }, params: { domain } });
    expect(res.status).toBe(200);
    expect(await rt.db.query(`SELECT 1 FROM events WHERE site_id = {d:String}`, { d: domain })).toEqual([]);
    expect((await call(await routes.site(), 'GET', `/api/sites/${domain}`, { headers: headersFor.owner, params: { domain } })).status).toBe(404);
    expect(await rt.sites.has(domain)).toBe(false);
  });

  it('rate-limits sign-in: five failures, then 429 even with the right password', async () => {
    const login = await routes.login();
    const attempt = (password: string) => call(login, 'POST', '/api/auth/login', { headers: { 'x-sightline-socket-ip': '10.9.9.9' }, body: { email: 'owner@example.com', password } });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-password')).status).toBe(401);
    const blocked = await attempt('owner-password');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await call(login, 'POST', '/api/auth/login', { headers: { 'x-sightline-socket-ip': '10.9.9.10' }, body: { email: 'owner@example.com', password: 'owner-password' } })).status).toBe(200);
  });

  it('a password change ends existing sessions', async () => {
    const { createUser, setPassword } = await import('../../db/users');
    const { hashPassword } = await import('../../lib/auth/password');
    const { invalidateAuthCache } = await import('../../lib/auth/cache');
    const user = await createUser(rt.db, { email: 'mover@example.com', passwordHash: await hashPassword('first-password') });
    const session = { cookie: await login('mover@example.com', 'first-password') };
    const me = await routes.me();
    expect((await call(me, 'GET', '/api/auth/me', { headers: session })).status).toBe(200);
    await setPassword(rt.db, user, await hashPassword('a-new-password'));
    invalidateAuthCache();
    expect((await call(me, 'GET', '/api/auth/me', { headers: session })).status).toBe(401);
  });

  it('the loopback admin route creates users with the admin token', async () => {
    const users = await routes.users();
    const admin = { authorization: `Bearer ${rt.adminToken}`, 'x-sightline-socket-ip': '127.0.0.1' };
    const res = await call(users, 'POST', '/api/auth/users', { headers: admin, body: { action: 'create', email: 'cli@example.com', password: 'cli-password' } });
    expect(res.status).toBe(201);
    expect((await call(users, 'GET', '/api/auth/users', { headers: { ...admin, 'x-sightline-socket-ip': '10.0.0.1' } })).status).toBe(403);
  });
});

describe.skipIf(!statsAvailable)('Stats API access', () => {
  const stats = (name: string) => import(/* @vite-ignore */ statsRoute(name)) as Promise<RouteModule>;
  const ENDPOINTS: [string, string][] = [
    ['aggregate', 'metrics=visitors,pageviews&period=30d'],
    ['timeseries', 'metrics=visitors&period=7d'],
    ['breakdown', 'property=event:page&metrics=visitors&period=30d'],
    ['realtime/visitors', ''],
  ];
  for (const [endpoint, query] of ENDPOINTS) {
    it(`${endpoint}: private site`, async () => {
      const mod = await stats(endpoint);
      const got: Record<string, number> = {};
      for (const who of WHO) {
        got[who] = (await call(mod, 'GET', `/api/v1/stats/${endpoint}?site_id=${OWNED}&${query}`, { headers: headersFor[who] })).status;
      }
      expect(got).toEqual({ anonymous: 401, wrongUser: 404, shareHolder: 200, owner: 200 });
    });
    it(`${endpoint}: share token as ?auth=, for its own site only`, async () => {
      const mod = await stats(endpoint);
      expect((await call(mod, 'GET', `/api/v1/stats/${endpoint}?site_id=${OWNED}&${query}&auth=${shareToken}`)).status).toBe(200);
      expect((await call(mod, 'GET', `/api/v1/stats/${endpoint}?site_id=${OTHERS}&${query}&auth=${shareToken}`)).status).not.toBe(200);
    });
    it(`${endpoint}: public site`, async () => {
      const mod = await stats(endpoint);
      const res = await call(mod, 'GET', `/api/v1/stats/${endpoint}?site_id=${PUBLIC}&${query}`);
      expect(res.status).toBe(200);
    });
  }
});
