/**
 * The `goals` table: conversion goals per site. A goal is either a custom
 * event name ("Signup") or a pageview path pattern ("/blog/**": `*` matches
 * within one path segment, `**` across segments).
 *
 * The Stats API reads goals with `goalsForStats(db, domain)` to answer
 * `event:goal` filters and breakdowns; a goal's `name` is what appears there
 * (the event name, or "Visit <path>" for a pageview goal, as in Plausible).
 */
import crypto from 'node:crypto';
import { toClickHouseTime, type Db } from './client';

export type GoalKind = 'event' | 'page';

export interface Goal {
  id: string;
  site_id: string;
  kind: GoalKind;
  /** Set for kind 'event'. */
  event_name: string;
  /** Set for kind 'page'. */
  page_path: string;
  /** The name used in `event:goal` filters and breakdown rows. */
  name: string;
  created_at: string;
}

export type GoalInput = { kind: 'event'; event_name: string } | { kind: 'page'; page_path: string };

export function goalName(g: { kind: GoalKind; event_name: string; page_path: string }): string {
  return g.kind === 'page' ? `Visit ${g.page_path}` : g.event_name;
}

interface Row {
  gid: string;
  site: string;
  gkind: string;
  ev: string;
  path: string;
  created: string;
}

export async function listGoals(db: Db, domain: string): Promise<Goal[]> {
  const rows = await db.query<Row>(
    `SELECT id AS gid, site_id AS site, argMax(kind, updated_at) AS gkind, argMax(event_name, updated_at) AS ev,
            argMax(page_path, updated_at) AS path, min(created_at) AS created
     FROM goals WHERE site_id = {domain:String}
     GROUP BY site_id, id HAVING argMax(deleted, updated_at) = false ORDER BY created`,
    { domain },
  );
  return rows.map((r) => {
    const kind: GoalKind = r.gkind === 'page' ? 'page' : 'event';
    const g = { kind, event_name: r.ev, page_path: r.path };
    return { id: r.gid, site_id: r.site, ...g, name: goalName(g), created_at: r.created };
  });
}

/** How long the Stats API answers from goals read before: a change made by another process shows within this. */
const STATS_GOALS_MS = 10_000;
const CACHE_KEY = Symbol.for('sightline.goals.forStats');
// On globalThis: Next.js bundles the settings routes and the stats routes apart, and a goal added
// through one must reach the other at once.
type GoalsBySite = Map<string, { at: number; goals: Promise<Goal[]> }>;
const statsGoals = ((globalThis as Record<symbol, unknown>)[CACHE_KEY] ??= new WeakMap<Db, GoalsBySite>()) as WeakMap<Db, GoalsBySite>;

/**
 * The site's goals for the Stats API: every dashboard asks for them, so they
 * are read at most every 10 seconds per process; goals added or deleted
 * here are seen at once.
 */
export function goalsForStats(db: Db, domain: string, nowMs = Date.now()): Promise<Goal[]> {
  let sites = statsGoals.get(db);
  if (!sites) statsGoals.set(db, (sites = new Map()));
  const hit = sites.get(domain);
  if (hit && nowMs - hit.at < STATS_GOALS_MS) return hit.goals;
  const entry = { at: nowMs, goals: listGoals(db, domain) };
  sites.set(domain, entry);
  entry.goals.catch(() => sites.get(domain) === entry && sites.delete(domain));
  return entry.goals;
}

/** After a change to the site's goals (or its deletion) in this process. */
export function forgetGoals(db: Db, domain: string): void {
  statsGoals.get(db)?.delete(domain);
}

/** Why a goal is not valid, or null. */
export function goalProblem(input: GoalInput): string | null {
  if (input.kind === 'event') {
    const name = input.event_name.trim();
    if (!name || name.length > 120) return 'an event goal needs an event name of 1 to 120 characters';
    if (name === 'pageview' || name === 'engagement') return `"${name}" is a built-in event; use a page goal instead`;
    return null;
  }
  const path = input.page_path.trim();
  if (!path.startsWith('/') || path.length > 500) return 'a page goal needs a path starting with "/" (wildcards: * and **)';
  return null;
}

export async function addGoal(db: Db, domain: string, input: GoalInput): Promise<Goal> {
  const problem = goalProblem(input);
  if (problem) throw new Error(problem);
  const g = {
    kind: input.kind,
    event_name: input.kind === 'event' ? input.event_name.trim() : '',
    page_path: input.kind === 'page' ? input.page_path.trim() : '',
  };
  const existing = await listGoals(db, domain);
  const same = existing.find((e) => e.name === goalName(g));
  if (same) return same;
  const now = toClickHouseTime(Date.now());
  const goal: Goal = { id: crypto.randomUUID(), site_id: domain, ...g, name: goalName(g), created_at: now };
  const { name: _, ...row } = goal;
  await db.insert('goals', [{ ...row, updated_at: now, deleted: false }]);
  forgetGoals(db, domain);
  return goal;
}

export async function deleteGoal(db: Db, domain: string, id: string): Promise<boolean> {
  const goal = (await listGoals(db, domain)).find((g) => g.id === id);
  if (!goal) return false;
  const { name: _, ...row } = goal;
  await db.insert('goals', [{ ...row, updated_at: toClickHouseTime(Date.now()), deleted: true }]);
  forgetGoals(db, domain);
  return true;
}

export async function deleteAllGoals(db: Db, domain: string): Promise<void> {
  const goals = await listGoals(db, domain);
  const now = toClickHouseTime(Date.now());
  if (goals.length) await db.insert('goals', goals.map(({ name: _, ...row }) => ({ ...row, updated_at: now, deleted: true })));
  forgetGoals(db, domain);
}
