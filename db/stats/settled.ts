/**
 * Runs built queries, keeping the result of their settled part.
 *
 * A rollup query sums two parts that cover different days (builder.ts): the
 * settled part — closed days, and the visits the visit rollup holds — and
 * the live part — today's sketches, the newest visits. Nothing in the
 * settled part changes until its days move (the closed-day marker, the
 * visit rollup's marker) or the data is rebuilt or deleted. So its rows,
 * summed per group, are kept here, and a request reads only the live part
 * and adds the two as the outer query would (`finish`): sum per group, the
 * metrics' finals, order and limit. The first request for a query answers
 * with the one query (as fast as without this), and the settled part is read
 * after it.
 *
 * The key is the settled SQL with the values of its own parameters (site,
 * filters, the settled tiles' dates), so a query whose settled days moved
 * reads anew. Kept on globalThis: Next.js bundles route handlers
 * separately, and a site deleted through one route must not leave its
 * numbers in the cache the stats routes read. Entries also expire: in
 * scale-out a web node sees another process's rebuild or deletion within
 * `TTL_MS`; embedded, where every deletion and rebuild goes through this
 * process and forgets them, only rows dropped by the retention TTL can go
 * unseen, for `EMBEDDED_TTL_MS`. An entry in use is read anew in the
 * background once past half its lifetime, so a dashboard in use never
 * falls back to the one query for its age; and under new rollup marks
 * before they are served (prepareMarks), so it does not when they move.
 */
import type { Db } from '../client';
import { FINALS_JS, type BuildOptions, type BuiltQuery, type Finish, type SharedLive } from './builder';

type Row = Record<string, unknown>;

/** Rows summed per group: the group's columns and its `f_` sums (in `Finish.finals` order). */
type Groups = Map<string, { row: Row; sums: number[] }>;

const TTL_MS = 10 * 60_000;
const EMBEDDED_TTL_MS = 60 * 60_000;
const ttlOf = (db: Db) => (db.embedded ? EMBEDDED_TTL_MS : TTL_MS);
/** A settled read waits for the requests in flight to finish, but not longer than this. */
const MAX_WAIT_MS = 2_000;
/** Upper bound on the rows kept per database (~40 MB; the least recently used go first). */
const MAX_ROWS = 200_000;
/** How long the marks served wait for the settled parts read under newer marks (prepareMarks). */
const PREPARE_MS = 60_000;

interface Entry {
  groups: Promise<Groups>;
  /** The rows are in (until then requests answer with the one query). */
  ready: boolean;
  /** A newer read of the same part is under way; it takes this entry's place once in. */
  renewing?: Promise<unknown>;
  at: number;
  /** Last asked for by a request: prepareMarks reads only parts still in use. */
  usedAt: number;
  size: number;
  /** The query under other marks (BuiltQuery.rebuild), for prepareMarks. */
  rebuild?: BuiltQuery['rebuild'];
}

interface Cache {
  entries: Map<string, Entry>;
  size: number;
  /** Report queries in flight, and the settled reads waiting for them. */
  busy: number;
  waiting: (() => void)[];
  timer?: ReturnType<typeof setTimeout>;
}

const KEY = Symbol.for('sightline.stats.settled');
const caches = ((globalThis as Record<symbol, unknown>)[KEY] ??= new WeakMap<Db, Cache>()) as WeakMap<Db, Cache>;

function cacheOf(db: Db): Cache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = { entries: new Map(), size: 0, busy: 0, waiting: [] }));
  return c;
}

/** Drops the settled parts past their lifetime; whether any is left (rollups.ts watches the marks while some are). */
export function dropExpired(db: Db, nowMs = Date.now()): boolean {
  const cache = caches.get(db);
  if (!cache) return false;
  for (const [key, entry] of [...cache.entries]) if (nowMs - entry.at >= ttlOf(db)) drop(cache, key, entry);
  return cache.entries.size > 0;
}

/** Drops every settled result (after site deletion, a rebuild, a refresh). */
export function forgetSettled(db: Db): void {
  caches.delete(db);
}

/** The parameters a SQL text names, so values it does not read (today's range) do not split the key. */
function keyOf(sql: string, params: Record<string, unknown>): string {
  const names = [...new Set([...sql.matchAll(/\{(\w+):/g)].map((m) => m[1]!))].sort();
  return JSON.stringify([sql, names.map((n) => params[n])]);
}

/** The kept settled rows under `key` (done or still being read), unless expired. */
function kept(cache: Cache, key: string, nowMs: number, ttl: number): Entry | undefined {
  const hit = cache.entries.get(key);
  if (!hit) return undefined;
  if (nowMs - hit.at >= ttl) {
    drop(cache, key, hit);
    return undefined;
  }
  // Most recently used last, so eviction takes the oldest.
  cache.entries.delete(key);
  cache.entries.set(key, hit);
  hit.usedAt = Math.max(hit.usedAt, nowMs);
  return hit;
}

/**
 * Runs `start` once no report is in flight (chdb runs one query at a time:
 * work a report asked for must not hold up its next query), or after
 * `MAX_WAIT_MS` under steady load.
 */
export function afterReports(db: Db, start: () => void): void {
  const cache = cacheOf(db);
  cache.waiting.push(start);
  cache.timer ??= setTimeout(() => flush(cache), MAX_WAIT_MS);
  cache.timer.unref?.();
  if (cache.busy === 0) setImmediate(() => cache.busy === 0 && flush(cache));
}

/**
 * Reads a query's settled part, after the reports in flight, and keeps its
 * rows summed per group; a failed read is forgotten. With `replacing`, the
 * entry it renews keeps answering until the new rows are in.
 */
function keep(db: Db, cache: Cache, key: string, built: BuiltQuery, nowMs: number, replacing?: Entry, usedAt = nowMs): Entry {
  const q = built.settled!;
  const started = new Promise<void>((resolve) => afterReports(db, resolve));
  const entry: Entry = {
    at: nowMs,
    usedAt,
    size: 0,
    ready: false,
    rebuild: built.rebuild,
    groups: started
      .then(() => db.query<Row>(q.sql, built.params))
      .then((rows) => {
        const groups = group(rows, q.finish);
        // Sorted here, off the request path.
        if (q.finish.order) ranked(groups, q.finish);
        return groups;
      }),
  };
  if (replacing) replacing.renewing = entry.groups;
  else cache.entries.set(key, entry);
  entry.groups.then(
    (groups) => {
      entry.ready = true;
      if (replacing) {
        // Renewed: only if the old entry is still the one kept (not expired, forgotten or evicted).
        if (cache.entries.get(key) !== replacing) return;
        drop(cache, key, replacing);
        cache.entries.set(key, entry);
      }
      if (cache.entries.get(key) !== entry) return;
      entry.size = groups.size + 1;
      cache.size += entry.size;
      for (const [k, e] of cache.entries) {
        if (cache.size <= MAX_ROWS) break;
        drop(cache, k, e);
      }
    },
    () => (replacing ? (replacing.renewing = undefined) : drop(cache, key, entry)),
  );
  return entry;
}

/** Starts the waiting settled reads. */
function flush(cache: Cache): void {
  clearTimeout(cache.timer);
  cache.timer = undefined;
  for (const start of cache.waiting.splice(0)) start();
}

function drop(cache: Cache, key: string, entry: Entry): void {
  if (cache.entries.get(key) !== entry) return;
  cache.entries.delete(key);
  cache.size -= entry.size;
}

/** Marks a report in flight from start to end: settled reads wait, so they do not hold up its next query. */
function begin(db: Db): () => void {
  const cache = cacheOf(db);
  cache.busy++;
  return () => {
    // Whatever a request issues next is issued in a microtask; a macrotask later, it is done.
    if (--cache.busy === 0) setImmediate(() => cache.busy === 0 && flush(cache));
  };
}

/** Wraps a report (db first): settled reads wait until it is done. */
export function reportScope<A extends [Db, ...unknown[]], R>(report: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    const end = begin(args[0]);
    try {
      return await report(...args);
    } finally {
      end();
    }
  };
}

/** The kept settled rows of `q` (which has a settled part) when they are in; starts reading (or renewing) them when due. */
function readyEntry(db: Db, cache: Cache, q: BuiltQuery, nowMs: number): Entry | undefined {
  const key = keyOf(q.settled!.sql, q.params);
  const ttl = ttlOf(db);
  const entry = kept(cache, key, nowMs, ttl);
  if (!entry) keep(db, cache, key, q, nowMs);
  else if (entry.ready && !entry.renewing && nowMs - entry.at >= ttl / 2) keep(db, cache, key, q, nowMs, entry);
  return entry?.ready ? entry : undefined;
}

/**
 * Before the rollup marks served move (rollups.ts): reads the settled part of
 * every kept query again under the new marks `opts`, between reports, so the
 * first request after the move finds it kept instead of answering with the
 * one query. Resolves once those reads are in, or after `maxMs`.
 */
export async function prepareMarks(db: Db, opts: BuildOptions, maxMs = PREPARE_MS): Promise<void> {
  const cache = cacheOf(db);
  const nowMs = Date.now();
  const reads: Promise<unknown>[] = [];
  for (const [key, entry] of [...cache.entries]) {
    // Only parts a request asked for within their lifetime: the others would be read on and on, unused.
    if (!entry.ready || !entry.rebuild || nowMs - entry.usedAt >= ttlOf(db)) continue;
    const next = entry.rebuild(opts);
    if (!next.settled) continue;
    const nextKey = keyOf(next.settled.sql, next.params);
    // Marks this query does not read (the visit marker for an event query): nothing to do.
    if (nextKey === key) continue;
    // The new part counts as used when the old one was: unused, it goes when the old one would have.
    const have = cache.entries.get(nextKey);
    reads.push((have && nowMs - have.at < ttlOf(db) ? have : keep(db, cache, nextKey, next, nowMs, undefined, entry.usedAt)).groups);
  }
  if (!reads.length) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)));
  await Promise.race([Promise.allSettled(reads), timeout]);
  clearTimeout(timer);
}

/**
 * Runs a built query. Until its settled part is kept, the one query answers
 * (reading the settled part means reading all its groups, which costs more
 * than the answer) and the settled part is read once the requests in flight
 * are done; then the kept rows and the live part.
 */
export async function runBuilt<T>(db: Db, q: BuiltQuery, nowMs = Date.now()): Promise<T[]> {
  const s = q.settled;
  if (!s) return db.query<T>(q.sql, q.params);
  const cache = cacheOf(db);
  const end = begin(db);
  try {
    const entry = readyEntry(db, cache, q, nowMs);
    if (!entry) return await db.query<T>(q.sql, q.params);
    const settled = await entry.groups;
    const live = s.live ? group(await db.query<Row>(s.live, q.params), s.finish) : new Map();
    return finish(settled, live, s.finish) as T[];
  } finally {
    end();
  }
}

/**
 * Runs built queries whose live parts `shared` reads in one SQL: once every
 * settled part is kept, that SQL and the kept rows answer all of them;
 * until then each runs on its own (runBuilt).
 */
export async function runBuiltTogether<T>(db: Db, qs: BuiltQuery[], shared: SharedLive, nowMs = Date.now()): Promise<T[][]> {
  const cache = cacheOf(db);
  const end = begin(db);
  try {
    const entries = qs.map((q) => (q.settled?.live ? readyEntry(db, cache, q, nowMs) : undefined));
    if (!entries.every(Boolean)) return await Promise.all(qs.map((q) => runBuilt<T>(db, q, nowMs)));
    const parts = shared.split(await db.query<Row>(shared.sql, shared.params));
    return await Promise.all(
      qs.map(async (q, i) => {
        const f = q.settled!.finish;
        return finish(await entries[i]!.groups, group(parts[i] ?? [], f), f) as T[];
      }),
    );
  } finally {
    end();
  }
}

/** Resolves once every settled part asked for is read and kept (benchmark, tests). */
export async function settledIdle(db: Db): Promise<void> {
  const cache = cacheOf(db);
  if (cache.busy === 0) flush(cache);
  await Promise.allSettled([...cache.entries.values()].flatMap((e) => [e.groups, e.renewing]));
}

/** Sums rows per group. */
export function group(rows: Row[], f: Finish): Groups {
  const out: Groups = new Map();
  const n = f.finals.length;
  for (const r of rows) {
    const key = f.groups.length === 1 ? String(r[f.groups[0]!]) : f.groups.map((c) => r[c]).join('\u0000');
    let g = out.get(key);
    if (!g) {
      const row: Row = {};
      for (const c of f.groups) row[c] = r[c];
      g = { row, sums: new Array<number>(n).fill(0) };
      out.set(key, g);
    }
    for (let i = 0; i < n; i++) g.sums[i]! += Number(r[f.finals[i]!]);
  }
  return out;
}

/**
 * Code point order, as ClickHouse orders UTF-8 strings bytewise: UTF-16
 * units compare the same except surrogates (code points above U+FFFF),
 * which must sort above every other unit.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
    return x - y;
  }
  return a.length - b.length;
}

/** A metric of a group from its summed `f_` columns. */
function valueOf(f: Finish): (sums: number[], metric: string) => number {
  const index = new Map(f.finals.map((c, i) => [c, i]));
  return (sums, metric) => FINALS_JS[metric]!((c) => sums[index.get(c)!]!);
}

type Candidate = { key: string; row: Row; sums: number[]; v: number };
/** Settled groups in output order, per `d_dim` when the query has one (else under -1). */
type Ranked = Map<number, Candidate[]>;

/** The order of every output row: `d_dim`, the metric desc, then `d_parent` and `d_value` as text. */
function comparator(perDim: boolean, parent: boolean): (a: Candidate, b: Candidate) => number {
  return (a, b) =>
    (perDim ? (a.row.d_dim as number) - (b.row.d_dim as number) : 0) ||
    b.v - a.v ||
    (parent ? compareText(a.row.d_parent as string, b.row.d_parent as string) : 0) ||
    compareText(a.row.d_value as string, b.row.d_value as string);
}

/**
 * The settled groups sorted once per order (they do not change), so a
 * request sorts only the groups the live part touches: the top rows among
 * the untouched ones are the first untouched ones in this order.
 */
const rankings = new WeakMap<Groups, Map<string, Ranked>>();

function ranked(settled: Groups, f: Finish): Ranked {
  const o = f.order!;
  const value = valueOf(f);
  const perDim = f.groups.includes('d_dim');
  const id = `${o.by}|${o.parent}|${perDim}`;
  let byOrder = rankings.get(settled);
  if (!byOrder) rankings.set(settled, (byOrder = new Map()));
  let r = byOrder.get(id);
  if (!r) {
    r = new Map();
    for (const [key, g] of settled) {
      const dim = perDim ? (g.row.d_dim as number) : -1;
      let list = r.get(dim);
      if (!list) r.set(dim, (list = []));
      list.push({ key, row: g.row, sums: g.sums, v: value(g.sums, o.by) });
    }
    const cmp = comparator(perDim, o.parent);
    for (const list of r.values()) list.sort(cmp);
    byOrder.set(id, r);
  }
  return r;
}

/**
 * The outer query over the two parts (which cover different days): sums per
 * group, the metrics, then the filter, order and limit. Metrics come out as
 * decimal strings, as ClickHouse's JSON gives 64-bit integers.
 */
export function finish(settled: Groups, live: Groups, f: Finish): Row[] {
  const value = valueOf(f);
  const keys = f.keys && new Set(f.keys);
  const wanted = (row: Row) => !keys || keys.has(row.d_value as string);
  const o = f.order;
  const by = o?.by ?? f.metrics[0]!;
  // Candidates: every group the live part touches, with its total sums.
  let rows: Candidate[] = [];
  for (const [key, l] of live) {
    const s = settled.get(key);
    if (!wanted(l.row)) continue;
    const sums = s ? s.sums.map((x, i) => x + l.sums[i]!) : l.sums;
    rows.push({ key, row: l.row, sums, v: o ? value(sums, by) : 0 });
  }
  if (!o) {
    for (const [key, s] of settled) if (!live.has(key) && wanted(s.row)) rows.push({ key, row: s.row, sums: s.sums, v: 0 });
  } else {
    // The untouched settled groups that can still make the page: the first ones in their fixed order.
    const need = o.limitBy ?? (o.limit === undefined ? Infinity : (o.offset ?? 0) + o.limit);
    for (const list of ranked(settled, f).values()) {
      let taken = 0;
      for (const c of list) {
        if (taken >= need) break;
        if (live.has(c.key) || !wanted(c.row)) continue;
        rows.push(c);
        taken++;
      }
    }
    rows.sort(comparator(f.groups.includes('d_dim'), o.parent));
    if (o.limitBy !== undefined) {
      const seen = new Map<unknown, number>();
      rows = rows.filter((r) => {
        const n = seen.get(r.row.d_dim) ?? 0;
        seen.set(r.row.d_dim, n + 1);
        return n < o.limitBy!;
      });
    } else if (o.limit !== undefined) rows = rows.slice(o.offset ?? 0, (o.offset ?? 0) + o.limit);
  }
  return rows.map(({ row, sums }) => {
    const out: Row = { ...row };
    for (const m of f.metrics) out[`m_${m}`] = String(value(sums, m));
    return out;
  });
}
