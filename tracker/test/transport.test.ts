/** sendBeacon first, keepalive fetch fallback, one retry on network error/5xx (src/transport.ts). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { post, RETRY_MS } from '../src/transport';

const API = 'https://sightline.example/api/event';

describe('post', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('uses sendBeacon with a text/plain string body when it accepts', () => {
    const sendBeacon = vi.fn(() => true);
    const fetch = vi.fn();
    vi.stubGlobal('navigator', { sendBeacon });
    vi.stubGlobal('fetch', fetch);
    post(API, '[{"n":"pageview"}]');
    expect(sendBeacon).toHaveBeenCalledWith(API, '[{"n":"pageview"}]');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('falls back to a keepalive fetch when sendBeacon is missing or refuses', async () => {
    for (const nav of [{}, { sendBeacon: () => false }]) {
      const fetch = vi.fn(async () => new Response(null, { status: 202 }));
      vi.stubGlobal('navigator', nav);
      vi.stubGlobal('fetch', fetch);
      post(API, 'body');
      await vi.runAllTimersAsync();
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(fetch).toHaveBeenCalledWith(API, { method: 'POST', body: 'body', keepalive: true });
    }
  });

  it('retries once after a network error or 503, then gives up', async () => {
    const fetch = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('network'))
      .mockResolvedValueOnce(new Response(null, { status: 503 }));
    vi.stubGlobal('navigator', {});
    vi.stubGlobal('fetch', fetch);
    post(API, 'body');
    await vi.advanceTimersByTimeAsync(RETRY_MS - 1);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.runAllTimersAsync();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('does not retry a 400 (the body will not get better)', async () => {
    const fetch = vi.fn(async () => new Response('{"reason":"invalid_event"}', { status: 400 }));
    vi.stubGlobal('navigator', {});
    vi.stubGlobal('fetch', fetch);
    post(API, 'body');
    await vi.runAllTimersAsync();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('retries a refused beacon with fetch, not with another beacon', async () => {
    const sendBeacon = vi.fn(() => false);
    const fetch = vi.fn().mockRejectedValueOnce(new TypeError('network')).mockResolvedValue(new Response(null, { status: 202 }));
    vi.stubGlobal('navigator', { sendBeacon });
    vi.stubGlobal('fetch', fetch);
    post(API, 'body');
    await vi.runAllTimersAsync();
    expect(sendBeacon).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
