/**
 * npm run sites -- list | add <domain> [--timezone Europe/Berlin] [--public] | delete <domain>
 *
 * With CLICKHOUSE_URL set it talks to ClickHouse directly. In embedded mode
 * the running server owns the data directory, so the CLI goes through it
 * (DATA_DIR/admin.json); when no server runs, it opens the data itself.
 */
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { deleteSite, listSites, upsertSite } from '../db/sites';
import { loadConfig } from '../lib/config';
import { callServer, runningServer, type RunningServer } from '../lib/admin';

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

function viaServer(server: RunningServer): Promise<unknown> {
  if (command === 'list') return callServer(server, '/api/admin/sites');
  return callServer(server, '/api/admin/sites', { action: command, domain, timezone: option('timezone'), public: flag('public') || undefined });
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
const admin = runningServer(config);
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
