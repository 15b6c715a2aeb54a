/**
 * The property whitelist: every Stats API property a filter or breakdown may
 * name, mapped to fixed column names. User input never becomes SQL text: a
 * property is looked up here (unknown ones are rejected), and a custom prop
 * key only ever travels as a bound parameter.
 */
import type { Property } from './types';

export type PropertyScope =
  /** A column of `events` (event:page, event:name, event:hostname). */
  | 'event'
  /** A visit attribute: copied onto every event, and a column of `sessions`. */
  | 'visit'
  /** Known only once a visit is merged: entry and exit page. */
  | 'session'
  /** A goal: a custom event name, or `Visit <path>` for a pageview goal. */
  | 'goal'
  /** `event:props:<key>`. */
  | 'props';

export interface PropertyDef {
  property: Property;
  /** Key of the breakdown result column (`source`, `page`, the prop key, …). */
  key: string;
  scope: PropertyScope;
  /** Column in `events` (and for visit attributes, in `sessions`). */
  column?: string;
  /** Version breakdowns also group by and return the parent (browser, os). */
  parent?: { key: string; column: string };
  /** Dimension name in the `stats_*` (event) or `visit_stats_hourly` (session) rollups. */
  rollupDim?: string;
  /** What a breakdown does with empty values: drop them, or show a label. */
  empty: { exclude: true } | { label: string } | null;
  /** Session metrics cannot be asked with these (as in Plausible). */
  eventOnly: boolean;
}

export const DIRECT_NONE = 'Direct / None';
export const NOT_SET = '(not set)';
export const PROP_NONE = '(none)';

const exclude = { exclude: true } as const;
const label = (l: string) => ({ label: l });

function visit(key: string, column: string, empty: PropertyDef['empty'], parent?: PropertyDef['parent']): PropertyDef {
  return { property: `visit:${key}`, key, scope: 'visit', column, parent, rollupDim: key, empty, eventOnly: false };
}

const DEFS: PropertyDef[] = [
  { property: 'event:page', key: 'page', scope: 'event', column: 'pathname', rollupDim: 'page', empty: null, eventOnly: false },
  { property: 'event:hostname', key: 'hostname', scope: 'event', column: 'hostname', rollupDim: 'hostname', empty: null, eventOnly: false },
  { property: 'event:name', key: 'name', scope: 'event', column: 'name', rollupDim: 'name', empty: null, eventOnly: true },
  { property: 'event:goal', key: 'goal', scope: 'goal', column: 'name', rollupDim: 'name', empty: null, eventOnly: true },
  { property: 'visit:entry_page', key: 'entry_page', scope: 'session', rollupDim: 'entry_page', empty: exclude, eventOnly: false },
  { property: 'visit:exit_page', key: 'exit_page', scope: 'session', rollupDim: 'exit_page', empty: exclude, eventOnly: false },
  visit('source', 'referrer_source', label(DIRECT_NONE)),
  visit('referrer', 'referrer', label(DIRECT_NONE)),
  visit('channel', 'channel', label(NOT_SET)),
  visit('utm_medium', 'utm_medium', exclude),
  visit('utm_source', 'utm_source', exclude),
  visit('utm_campaign', 'utm_campaign', exclude),
  visit('utm_content', 'utm_content', exclude),
  visit('utm_term', 'utm_term', exclude),
  visit('device', 'device', label(NOT_SET)),
  visit('browser', 'browser', label(NOT_SET)),
  visit('browser_version', 'browser_version', label(NOT_SET), { key: 'browser', column: 'browser' }),
  visit('os', 'os', label(NOT_SET)),
  visit('os_version', 'os_version', label(NOT_SET), { key: 'os', column: 'os' }),
  visit('country', 'country_code', exclude),
  visit('region', 'region', exclude),
  visit('city', 'city', exclude),
];

const BY_NAME = new Map(DEFS.map((d) => [d.property, d]));

export const PROPS_PREFIX = 'event:props:';

/** The definition of a property, or null when it is not one we know. */
export function propertyDef(property: Property): PropertyDef | null {
  const known = BY_NAME.get(property);
  if (known) return known;
  if (property.startsWith(PROPS_PREFIX)) {
    const key = property.slice(PROPS_PREFIX.length);
    if (key.length === 0 || key.length > 300) return null;
    return { property, key, scope: 'props', empty: null, eventOnly: true };
  }
  return null;
}

export const PROPERTIES: readonly string[] = DEFS.map((d) => d.property);

/** Event rollup dimensions, in the order the 0010 migration's materialized view expands them. */
export const EVENT_ROLLUP_DIMS: ReadonlySet<string> = new Set(
  DEFS.filter((d) => d.scope !== 'session' && d.rollupDim).map((d) => d.rollupDim as string),
);
