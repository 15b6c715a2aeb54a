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
    const saved = [...out.matchAll(/^ {2}[^ ].*: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(saved).toHaveLength(8);
    for (const b of saved) expect(b).toBeGreaterThan(0);
    const core = Number(/core left[^:]*: (\d+)/.exec(out)?.[1]);
    const together = Number(/cut together: (\d+) saved/.exec(out)?.[1]);
    expect(core + together).toBe(full);
  }, 60_000);
});
