import { describe, expect, it } from 'vitest';
import { parseFilters, wildcardToRegex } from '../../db/stats/filters';

describe('Stats API v1 filter expressions', () => {
  it('parses ==, !=, alternatives, wildcards and several filters', () => {
    expect(parseFilters('event:page==/blog/**;visit:country==DE|FR;visit:source!=Google')).toEqual([
      { property: 'event:page', op: 'matches', values: ['^/blog/.*$'] },
      { property: 'visit:country', op: 'is', values: ['DE', 'FR'] },
      { property: 'visit:source', op: 'is_not', values: ['Google'] },
    ]);
  });

  it('negated wildcards, mixed alternatives and escaped pipes', () => {
    expect(parseFilters('event:page!=/docs/*|/about')).toEqual([{ property: 'event:page', op: 'does_not_match', values: ['^/docs/[^/]*$', '^/about$'] }]);
    expect(parseFilters('visit:utm_campaign==a\\|b|c')).toEqual([{ property: 'visit:utm_campaign', op: 'is', values: ['a|b', 'c'] }]);
  });

  it('keeps goals and props as written', () => {
    expect(parseFilters('event:goal==Visit /blog/**|Signup;event:props:plan==(none)')).toEqual([
      { property: 'event:goal', op: 'is', values: ['Visit /blog/**', 'Signup'] },
      { property: 'event:props:plan', op: 'is', values: ['(none)'] },
    ]);
  });

  it('trims, ignores empty parts, upper-cases countries', () => {
    expect(parseFilters(' visit:country == de ;; ')).toEqual([{ property: 'visit:country', op: 'is', values: ['DE'] }]);
    expect(parseFilters('')).toEqual([]);
    expect(parseFilters(undefined)).toEqual([]);
  });

  it('rejects unknown properties, bad syntax, bad countries and empty values', () => {
    expect(() => parseFilters('visit:planet==Mars')).toThrow("Invalid filter property 'visit:planet'");
    expect(() => parseFilters('event:page=/x')).toThrow("Invalid filter expression 'event:page=/x'");
    expect(() => parseFilters('visit:country==Germany')).toThrow("Invalid country code 'Germany'");
    expect(() => parseFilters('event:page==')).toThrow('the value is empty');
    expect(() => parseFilters('event:props:==x')).toThrow('Invalid filter property');
  });

  it('wildcards: * stays within a path segment, ** crosses them, everything else is literal', () => {
    const re = (p: string) => new RegExp(wildcardToRegex(p));
    expect(re('/blog/*').test('/blog/a')).toBe(true);
    expect(re('/blog/*').test('/blog/a/b')).toBe(false);
    expect(re('/blog/**').test('/blog/a/b')).toBe(true);
    expect(re('/a.b').test('/axb')).toBe(false);
    expect(wildcardToRegex('/x(1)+[a]$^|?{2}\\')).toBe('^/x\\(1\\)\\+\\[a\\]\\$\\^\\|\\?\\{2\\}\\\\$');
  });
});
