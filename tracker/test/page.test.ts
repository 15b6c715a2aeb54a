/** Page identity and scroll depth (src/page.ts). The wire format is checked on the built script: entry.test.ts. */
import { describe, expect, it } from 'vitest';
import { pageKey, scrollDepth } from '../src/page';

describe('pageKey', () => {
  it('ignores the fragment unless in hash mode', () => {
    expect(pageKey('https://e.example/a?q=1#top')).toBe('https://e.example/a?q=1');
    expect(pageKey('https://e.example/#/a', 1)).toBe('https://e.example/#/a');
  });
});

describe('scrollDepth', () => {
  it('is the bottom of the viewport as a share of the page, 0-100', () => {
    expect(scrollDepth(0, 720, 4000)).toBe(18);
    expect(scrollDepth(1280, 720, 4000)).toBe(50);
    expect(scrollDepth(3280, 720, 4000)).toBe(100);
    // Rubber-band overscroll and short pages stay at 100.
    expect(scrollDepth(3400, 720, 4000)).toBe(100);
    expect(scrollDepth(0, 720, 300)).toBe(100);
  });
});
