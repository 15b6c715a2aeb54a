/**
 * Page identity and scroll depth. The page key decides whether a route
 * change is a new pageview: the fragment only counts in hash-routing mode.
 */
export const pageKey = (href: string, hash?: 1): string => (hash ? href : href.split('#')[0]!);

/** Bottom edge of the viewport as a share of the document, 0-100. */
export const scrollDepth = (scrollTop: number, viewport: number, height: number): number =>
  Math.min(100, Math.round(((scrollTop + viewport) / height) * 100));
