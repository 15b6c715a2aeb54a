import { describe, expect, it } from 'vitest';
import { expandKeys, parseBody } from '../../lib/event/payload';
import { MALFORMED } from '../fixtures/malformed';

describe('parseBody', () => {
  it('accepts Plausible short keys and long keys alike', () => {
    const short = parseBody(JSON.stringify({ n: 'Signup', u: 'https://a.test/x', d: 'A.test', r: 'https://g.test/', p: { plan: 'pro', n: 2 }, $: { amount: '9.99', currency: 'eur' }, i: false, w: 390, h: 1, e: 1200, sd: 55 }));
    const long = parseBody(JSON.stringify({ name: 'Signup', url: 'https://a.test/x', domain: 'a.test', referrer: 'https://g.test/', props: { plan: 'pro', n: 2 }, revenue: { amount: 9.99, currency: 'EUR' }, interactive: false, screen_width: 390, hash: 1, engagement_time: 1200, scroll_depth: 55 }));
    expect(short).toEqual(long);
    expect(short).toEqual({
      ok: true,
      events: [
        {
          name: 'Signup',
          url: 'https://a.test/x',
          domain: 'a.test',
          referrer: 'https://g.test/',
          props: { plan: 'pro', n: 2 },
          revenue: { amount: 9.99, currency: 'EUR' },
          interactive: false,
          screen_width: 390,
          hash: 1,
          engagement_time: 1200,
          scroll_depth: 55,
        },
      ],
    });
  });

  it('accepts Plausible meta props sent as a JSON string', () => {
    const r = parseBody(JSON.stringify({ n: 'x', u: 'https://a.test/', d: 'a.test', m: '{"author":"ann"}' }));
    expect(r.ok && r.events[0]!.props).toEqual({ author: 'ann' });
  });

  it('accepts a batch', () => {
    const r = parseBody(JSON.stringify([{ n: 'a', u: 'https://a.test/', d: 'a.test' }, { n: 'b', u: 'https://a.test/', d: 'a.test' }]));
    expect(r.ok && r.events.map((e) => e.name)).toEqual(['a', 'b']);
  });

  it.each(MALFORMED.filter((m) => m.status === undefined))('rejects $label with $reason', ({ body, reason }) => {
    const r = parseBody(body);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.detail).not.toBe('');
    }
  });

  it('leaves non-objects alone when expanding keys', () => {
    expect(expandKeys([1])).toEqual([1]);
    expect(expandKeys(null)).toBeNull();
  });
});
