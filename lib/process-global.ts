/**
 * One value per process, whichever bundle asks. Next.js compiles route
 * handlers into their own bundles, so a plain module-level singleton can
 * exist twice in one process (once for the custom server, once per route).
 * Keying the value on a global symbol makes both copies reach the same one.
 */
export function processGlobal<T>(name: string, create: () => T): T {
  const key = Symbol.for(`sightline.${name}`);
  const g = globalThis as unknown as Record<symbol, T | undefined>;
  let value = g[key];
  if (value === undefined) {
    value = create();
    g[key] = value;
  }
  return value;
}
