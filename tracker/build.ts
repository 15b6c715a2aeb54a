/**
 * `npx tsx tracker/build.ts`: builds tracker/dist/t.js (minified IIFE) and
 * its gzip, dist/t.js.gz, prints raw/gzip/brotli bytes and exits 1 when gzip
 * is over budget (the files are still written, so the failure can be inspected).
 */
import path from 'node:path';
import { measure, report, writeTracker } from './bundle';
import { trackerDist } from './options';

const code = await writeTracker();
if (!report(path.relative(process.cwd(), trackerDist()), await measure(code))) process.exitCode = 1;
