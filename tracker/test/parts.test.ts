/** `npm run size:parts` still matches the source it cuts, and its figures add up. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleTracker, measure } from '../bundle';

describe('size:parts', () => {
  it('cuts every part from the current source and prints the sizes', async () => {
    const out = execFileSync(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), path.join('tracker', 'parts.ts')], {
      encoding: 'utf8',
    });
    const full = Number(/everything on: (\d+) B/.exec(out)?.[1]);
    expect(full).toBe((await measure(await bundleTracker())).gzip);
    const saved = [...out.split('Script size with')[0]!.matchAll(/^ {2}[^ ].*: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(saved).toHaveLength(8);
    for (const b of saved) expect(b).toBeGreaterThan(0);
    const core = Number(/core left[^:]*: (\d+)/.exec(out)?.[1]);
    const together = Number(/cut together: (\d+) saved/.exec(out)?.[1]);
    expect(core + together).toBe(full);
    const combos = [...out.split('Script size with')[1]!.matchAll(/^ {2}without .*: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(combos).toHaveLength(4);
    for (const b of combos) expect(b).toBeGreaterThan(core);
    for (const b of combos) expect(b).toBeLessThan(full);
  }, 60_000);
});
