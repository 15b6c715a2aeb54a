/**
 * Run by `npm start`: builds the tracker and the Next.js app when there is no
 * build yet or a source file is newer than it, so a fresh clone starts with
 * one command and a restart does not rebuild for nothing.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const distDir = process.env.NEXT_DIST_DIR ?? '.next';
const buildId = path.join(distDir, 'BUILD_ID');
const SOURCES = ['app', 'lib', 'db', 'tracker/src', 'next.config.ts', 'package.json'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
const changedAt = Math.max(...SOURCES.map(newestMtime));
if (builtAt >= changedAt) {
  console.log('build is up to date');
} else {
  console.log(builtAt ? 'sources changed: rebuilding' : 'first start: building');
  execSync('npm run --silent build:tracker && npx next build', { stdio: 'inherit' });
}
