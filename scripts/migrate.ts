/** npm run migrate: applies pending ClickHouse migrations (also run on every start). */
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { loadConfig } from '../lib/config';

const db = await openDb(loadConfig());
try {
  const applied = await migrate(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
} finally {
  await db.close();
}
