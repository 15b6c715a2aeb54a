/**
 * `npx tsx tracker/build.ts`: builds tracker/dist/t.js (minified IIFE),
 * prints raw/gzip/brotli bytes and exits 1 when gzip is over budget
 * (the file is still written, so the failure can be inspected).
 */
import path from 'node:path';
import { measure, report, writeTracker } from './bundle';
import { trackerDist } from './options';

const code = await writeTracker();
if (!report(path.relative(process.cwd(), trackerDist()), measure(code))) process.exitCode = 1;
