/** Opt-out decisions and data-exclude patterns (src/rules.ts). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blocked, excluded, isLocal } from '../src/rules';

describe('excluded', () => {
  it('matches * as exactly one segment', () => {
    expect(excluded('/admin/users', '/admin/*')).toBe(true);
    expect(excluded('/admin/', '/admin/*')).toBe(true);
    expect(excluded('/admin/users/1', '/admin/*')).toBe(false);
    expect(excluded('/admin', '/admin/*')).toBe(false);
    expect(excluded('/blog/x/edit', '/blog/*/edit')).toBe(true);
    expect(excluded('/blog/x/y/edit', '/blog/*/edit')).toBe(false);
  });

  it('matches ** across segments', () => {
    expect(excluded('/preview/a/b/c', '/preview/**')).toBe(true);
    expect(excluded('/preview/', '/preview/**')).toBe(true);
    expect(excluded('/previews', '/preview/**')).toBe(false);
    expect(excluded('/a/b/secret', '/**/secret')).toBe(true);
  });

  it('matches the whole path, not a prefix', () => {
    expect(excluded('/admin/users', '/admin')).toBe(false);
    expect(excluded('/x/admin', '/admin/*')).toBe(false);
  });

  it('takes several patterns separated by commas and/or spaces', () => {
    const patterns = '/admin/*, /preview/**  /private';
    expect(excluded('/admin/x', patterns)).toBe(true);
    expect(excluded('/preview/a/b', patterns)).toBe(true);
    expect(excluded('/private', patterns)).toBe(true);
    expect(excluded('/public', patterns)).toBe(false);
  });

  it('excludes nothing without patterns', () => {
    expect(excluded('/admin', undefined)).toBeFalsy();
    expect(excluded('/admin', '')).toBe(false);
  });
});

describe('isLocal', () => {
  it.each(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', ''])('%j is local', (h) => expect(isLocal(h)).toBe(true));
  it.each(['example.com', 'localhost.example.com', '10.0.0.1', '[2001:db8::1]', '1127.0.0.1'])('%j is not', (h) =>
    expect(isLocal(h)).toBe(false),
  );
});

describe('blocked', () => {
  /** The page's globals that blocked() reads; each test sets its own. */
  function page(o: { hostname?: string; pathname?: string; nav?: object; flag?: string; storageThrows?: boolean } = {}) {
    vi.stubGlobal('location', { hostname: o.hostname ?? 'example.com', pathname: o.pathname ?? '/pricing' });
    vi.stubGlobal('navigator', o.nav ?? {});
    vi.stubGlobal(
      'localStorage',
      o.storageThrows
        ? {
            get sightline_ignore() {
              throw new Error('SecurityError');
            },
          }
        : { sightline_ignore: o.flag },
    );
  }
  afterEach(() => vi.unstubAllGlobals());

  it('lets a normal visit through', () => {
    page();
    expect(blocked({})).toBeFalsy();
    page({ nav: { doNotTrack: '0', globalPrivacyControl: false }, flag: 'false' });
    expect(blocked({})).toBeFalsy();
  });

  it('respects Do Not Track and Global Privacy Control unless data-respect-dnt="false"', () => {
    page({ nav: { doNotTrack: '1' } });
    expect(blocked({})).toBe(true);
    expect(blocked({ respectDnt: 'false' })).toBeFalsy();
    // Any other value keeps the default.
    expect(blocked({ respectDnt: '' })).toBe(true);
    page({ nav: { globalPrivacyControl: true } });
    expect(blocked({})).toBe(true);
    expect(blocked({ respectDnt: 'false' })).toBeFalsy();
  });

  it('honours localStorage.sightline_ignore === "true" only', () => {
    page({ flag: 'true' });
    expect(blocked({})).toBe(true);
    // The opt-out is the visitor's choice: data-respect-dnt does not override it.
    expect(blocked({ respectDnt: 'false' })).toBe(true);
    page({ flag: 'yes' });
    expect(blocked({})).toBeFalsy();
  });

  it('tracks when storage cannot be read (sandboxed iframes, some privacy modes)', () => {
    page({ storageThrows: true });
    expect(blocked({})).toBeFalsy();
  });

  it('skips local hosts and file: pages unless data-allow-localhost is present', () => {
    for (const hostname of ['localhost', '127.0.0.1', '[::1]', '']) {
      page({ hostname, pathname: '/' });
      expect(blocked({})).toBe(true);
      expect(blocked({ allowLocalhost: '' })).toBeFalsy();
    }
  });

  it('skips excluded paths', () => {
    page({ pathname: '/admin/x' });
    expect(blocked({ exclude: '/admin/*' })).toBe(true);
    page();
    expect(blocked({ exclude: '/admin/*' })).toBe(false);
  });
});
