/**
 * SQL fragments with bound parameters. Every value that comes from a request
 * (filter values, patterns, prop keys, dates, the time zone, limits) is bound
 * with `bind()` as a `{pN:Type}` parameter; only fixed column names from the
 * property whitelist and constant labels from this code are ever spliced in.
 */
import { wildcardToRegex } from './filters';
import { DIRECT_NONE, NOT_SET, PROP_NONE, propertyDef, type PropertyDef } from './properties';
import { StatsInputError, type Filter } from './types';

export class SqlParams {
  readonly values: Record<string, unknown> = {};
  private n = 0;

  bind(value: unknown, type: string): string {
    const name = `p${this.n++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }
}

/** A string constant from this code base (never request input), quoted for SQL. */
export function literal(s: string): string {
  if (!/^[\w /().:-]*$/.test(s)) throw new Error(`not a safe literal: ${s}`);
  return `'${s}'`;
}

/** Value → label shown for empty values of this property ('' stays '' otherwise). */
export function labelled(def: PropertyDef, expr: string): string {
  return def.empty && 'label' in def.empty ? `if(empty(${expr}), ${literal(def.empty.label)}, ${expr})` : expr;
}

/** Filter values are given as they are shown: `Direct / None` means an empty source. */
function unlabel(def: PropertyDef, values: string[]): string[] {
  if (!def.empty || !('label' in def.empty)) return values;
  const l = def.empty.label;
  return values.map((v) => (v === l ? '' : v));
}

/** `expr` compared with a filter's values, for a plain string expression. */
export function compare(p: SqlParams, expr: string, f: Filter, def?: PropertyDef): string {
  const values = def ? unlabel(def, f.values) : f.values;
  switch (f.op) {
    case 'is':
      return `${expr} IN ${p.bind(values, 'Array(String)')}`;
    case 'is_not':
      return `${expr} NOT IN ${p.bind(values, 'Array(String)')}`;
    case 'matches':
      return `(${values.map((r) => `match(${expr}, ${p.bind(r, 'String')})`).join(' OR ')})`;
    case 'does_not_match':
      return `NOT (${values.map((r) => `match(${expr}, ${p.bind(r, 'String')})`).join(' OR ')})`;
  }
}

/** `event:props:<key>` filter; `(none)` means the event has no such prop. */
export function propsCondition(p: SqlParams, key: string, f: Filter): string {
  const k = p.bind(key, 'String');
  const value = `props[${k}]`;
  const hasNone = (f.op === 'is' || f.op === 'is_not') && f.values.includes(PROP_NONE);
  if (!hasNone) return `(mapContains(props, ${k}) AND ${compare(p, value, f)})`;
  const rest = f.values.filter((v) => v !== PROP_NONE);
  if (f.op === 'is') {
    return rest.length ? `(NOT mapContains(props, ${k}) OR ${value} IN ${p.bind(rest, 'Array(String)')})` : `NOT mapContains(props, ${k})`;
  }
  return rest.length ? `(mapContains(props, ${k}) AND ${value} NOT IN ${p.bind(rest, 'Array(String)')})` : `mapContains(props, ${k})`;
}

export const GOAL_PAGE_PREFIX = 'Visit ';

/** Splits goal filter values into custom event names and pageview goal paths. */
export function splitGoals(values: string[]): { names: string[]; pages: string[] } {
  const names: string[] = [];
  const pages: string[] = [];
  for (const v of values) (v.startsWith(GOAL_PAGE_PREFIX) ? pages : names).push(v.startsWith(GOAL_PAGE_PREFIX) ? v.slice(GOAL_PAGE_PREFIX.length) : v);
  return { names, pages };
}

/**
 * `event:goal` on events: a custom event with that name, or for
 * `Visit /path` (wildcards allowed) a pageview of that path.
 */
export function goalCondition(p: SqlParams, f: Filter): string {
  const { names, pages } = splitGoals(f.values);
  const parts: string[] = [];
  const plainNames = names.filter((n) => !n.includes('*'));
  const patternNames = names.filter((n) => n.includes('*'));
  if (plainNames.length) parts.push(`name IN ${p.bind(plainNames, 'Array(String)')}`);
  for (const n of patternNames) parts.push(`match(name, ${p.bind(wildcardToRegex(n), 'String')})`);
  for (const page of pages) {
    const cond = page.includes('*') ? `match(pathname, ${p.bind(wildcardToRegex(page), 'String')})` : `pathname = ${p.bind(page, 'String')}`;
    parts.push(`(name = 'pageview' AND ${cond})`);
  }
  const any = parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
  return f.op === 'is_not' ? `NOT ${any}` : any;
}

export function requireDef(property: string): PropertyDef {
  const def = propertyDef(property);
  if (!def) throw new StatsInputError(`Invalid property '${property}'. Please provide a valid property: https://plausible.io/docs/stats-api#properties`);
  return def;
}

export { DIRECT_NONE, NOT_SET, PROP_NONE };
