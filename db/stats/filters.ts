/**
 * Stats API v1 filter expressions → Filter objects:
 *
 *   event:page==/blog/**;visit:country==DE|FR;visit:source!=Google
 *
 * `;` separates filters (all must hold), `==`/`!=` compare, `|` separates
 * alternatives (`\|` is a literal pipe), and `*` (any text but `/`) and `**`
 * (any text) make a value a pattern, turned here into an anchored regular
 * expression that later travels as a bound parameter.
 */
import { propertyDef } from './properties';
import { StatsInputError, type Filter } from './types';

const UNESCAPED_PIPE = /(?<!\\)\|/;

export function parseFilters(expression: string | null | undefined): Filter[] {
  if (!expression || !expression.trim()) return [];
  return expression
    .split(';')
    .filter((part) => part.trim() !== '')
    .map(parseOne);
}

function parseOne(raw: string): Filter {
  const text = raw.trim();
  const m = /^(.*?)(==|!=)(.*)$/s.exec(text);
  if (!m) throw new StatsInputError(`Invalid filter expression '${text}'. Use property==value or property!=value, e.g. event:page==/blog/**`);
  const property = m[1]!.trim();
  const negated = m[2] === '!=';
  const rawValue = m[3]!.trim();
  const def = propertyDef(property);
  if (!def) {
    throw new StatsInputError(
      `Invalid filter property '${property}'. Please provide a valid filter property: https://plausible.io/docs/stats-api#properties`,
    );
  }
  if (rawValue === '') throw new StatsInputError(`Invalid filter expression '${text}': the value is empty.`);
  const values = rawValue.split(UNESCAPED_PIPE).map((v) => v.replace(/\\\|/g, '|'));

  // Goals keep their raw values: `Visit /path*` patterns are resolved when compiled.
  if (def.scope === 'goal') return { property, op: negated ? 'is_not' : 'is', values };

  if (property === 'visit:country' && !values.some((v) => v.includes('*'))) {
    const bad = values.find((v) => !/^[A-Za-z]{2}$/.test(v));
    if (bad !== undefined) throw new StatsInputError(`Invalid country code '${bad}' in filter. Use ISO 3166-1 alpha-2 codes, e.g. visit:country==DE`);
    return { property, op: negated ? 'is_not' : 'is', values: values.map((v) => v.toUpperCase()) };
  }
  if (values.some((v) => v.includes('*'))) {
    return { property, op: negated ? 'does_not_match' : 'matches', values: values.map(wildcardToRegex) };
  }
  return { property, op: negated ? 'is_not' : 'is', values };
}

/** `/blog/**` → `^/blog/.*$`; `*` matches within one path segment. Everything else is literal. */
export function wildcardToRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else out += /[\\^$.|?+()[\]{}]/.test(c) ? `\\${c}` : c;
  }
  return `^${out}$`;
}

/** The filters on one property. */
export const filtersOn = (filters: Filter[], property: string) => filters.filter((f) => f.property === property);
