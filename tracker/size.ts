/**
 * `npx tsx tracker/size.ts [--json]`: bundles the tracker in memory (no
 * file written) and reports its size against the gzip budget; exits 1 when
 * over. `--json` prints {raw, gzip, brotli, budget} for CI comments.
 */
import { bundleTracker, measure, report } from './bundle';
import { GZIP_BUDGET } from './options';

const sizes = await measure(await bundleTracker());
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ ...sizes, budget: GZIP_BUDGET }));
  if (sizes.gzip > GZIP_BUDGET) process.exitCode = 1;
} else if (!report('t.js', sizes)) {
  process.exitCode = 1;
}
