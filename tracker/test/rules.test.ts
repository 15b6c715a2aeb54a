/** Opt-out decisions and data-exclude patterns (src/rules.ts). */
import { describe, expect, it } from 'vitest';
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
  const site = { hostname: 'example.com', pathname: '/pricing' };
  const nav = {};

  it('lets a normal visit through', () => {
    expect(blocked(site, nav, undefined, {})).toBeFalsy();
    expect(blocked(site, { doNotTrack: '0', globalPrivacyControl: false }, 'false', {})).toBeFalsy();
  });

  it('respects Do Not Track and Global Privacy Control unless data-respect-dnt="false"', () => {
    expect(blocked(site, { doNotTrack: '1' }, undefined, {})).toBe(true);
    expect(blocked(site, { globalPrivacyControl: true }, undefined, {})).toBe(true);
    expect(blocked(site, { doNotTrack: '1' }, undefined, { respectDnt: 'false' })).toBeFalsy();
    expect(blocked(site, { globalPrivacyControl: true }, undefined, { respectDnt: 'false' })).toBeFalsy();
    // Any other value keeps the default.
    expect(blocked(site, { doNotTrack: '1' }, undefined, { respectDnt: '' })).toBe(true);
  });

  it('honours localStorage.sightline_ignore === "true" only', () => {
    expect(blocked(site, nav, 'true', {})).toBe(true);
    expect(blocked(site, nav, 'yes', {})).toBeFalsy();
    // The opt-out is the visitor's choice: data-respect-dnt does not override it.
    expect(blocked(site, nav, 'true', { respectDnt: 'false' })).toBe(true);
  });

  it('skips local hosts and file: pages unless data-allow-localhost is present', () => {
    for (const hostname of ['localhost', '127.0.0.1', '[::1]', '']) {
      expect(blocked({ hostname, pathname: '/' }, nav, undefined, {})).toBe(true);
      expect(blocked({ hostname, pathname: '/' }, nav, undefined, { allowLocalhost: '' })).toBeFalsy();
    }
  });

  it('skips excluded paths', () => {
    expect(blocked({ hostname: 'example.com', pathname: '/admin/x' }, nav, undefined, { exclude: '/admin/*' })).toBe(true);
    expect(blocked(site, nav, undefined, { exclude: '/admin/*' })).toBe(false);
  });
});
