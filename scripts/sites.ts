/**
 * npm run sites -- list | add <domain> [--timezone Europe/Berlin] [--public] | delete <domain>
 *
 * With CLICKHOUSE_URL set it talks to ClickHouse directly. In embedded mode
 * the running server owns the data directory, so the CLI goes through it
 * (DATA_DIR/admin.json); when no server runs, it opens the data itself.
 */
import fs from 'node:fs';
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { deleteSite, listSites, upsertSite } from '../db/sites';
import { loadConfig } from '../lib/config';
import { adminTokenPath } from '../lib/runtime';

const config = loadConfig();
const [command = 'list', domain, ...rest] = process.argv.slice(2);
const flag = (name: string) => rest.includes(`--${name}`);
const option = (name: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};

function usage(): never {
  console.error('usage: npm run sites -- list | add <domain> [--timezone Zone] [--public] | delete <domain>');
  process.exit(2);
}

interface Admin {
  token: string;
  port: number;
  pid: number;
}

function runningServer(): Admin | null {
  if (!config.embeddedClickHouse) return null;
  try {
    const admin = JSON.parse(fs.readFileSync(adminTokenPath(config), 'utf8')) as Admin;
    process.kill(admin.pid, 0);
    return admin;
  } catch {
    return null;
  }
}

async function viaServer(admin: Admin): Promise<unknown> {
  const base = `http://127.0.0.1:${admin.port}/api/admin/sites`;
  const headers = { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' };
  const res =
    command === 'list'
      ? await fetch(base, { headers })
      : await fetch(base, {
          method: 'POST',
          headers,
          body: JSON.stringify({ action: command, domain, timezone: option('timezone'), public: flag('public') || undefined }),
        });
  const body = (await res.json()) as { detail?: string };
  if (!res.ok) throw new Error(body.detail ?? `server answered ${res.status}`);
  return body;
}

async function direct(): Promise<unknown> {
  const db = await openDb(config);
  try {
    await migrate(db);
    if (command === 'list') return await listSites(db);
    if (command === 'delete') {
      await deleteSite(db, domain!);
      return { deleted: domain };
    }
    return await upsertSite(db, { domain: domain!, timezone: option('timezone'), public: flag('public') || undefined });
  } finally {
    await db.close();
  }
}

if (!['list', 'add', 'delete'].includes(command) || (command !== 'list' && !domain)) usage();
const admin = runningServer();
try {
  const result = admin ? await viaServer(admin) : await direct();
  console.log(JSON.stringify(result, null, 2));
  if (command === 'add') {
    console.log(`\nAdd this to every page of ${domain}:\n<script defer data-site="${domain}" src="https://YOUR-SIGHTLINE-HOST/t.js"></script>`);
  }
} catch (err) {
  console.error(`sites ${command} failed: ${(err as Error).message}`);
  process.exit(1);
}
