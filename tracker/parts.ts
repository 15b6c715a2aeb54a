/**
 * `npm run size:parts`: what each feature costs the script, in gzip bytes
 * as served. Builds variants of src/ with one part cut out of t.ts (or the
 * transport reduced to sendBeacon) and prints how much smaller each is than
 * the real build, then all parts cut together and the core that is left.
 * The figures behind tracker/README.md "Size budget". A cut that no longer
 * matches the source fails loudly: update it with the code it removes.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleTracker, gzipTracker } from './bundle';

const srcDir = path.join(process.cwd(), 'tracker', 'src');
const entry = readFileSync(path.join(srcDir, 't.ts'), 'utf8');
const transport = readFileSync(path.join(srcDir, 'transport.ts'), 'utf8');

/** Removes from `from` through the end of `to`, once; throws when either is missing. */
function cut(s: string, from: string, to: string): string {
  const i = s.indexOf(from);
  const j = i < 0 ? -1 : s.indexOf(to, i);
  if (j < 0) throw new Error(`parts.ts: cut ${JSON.stringify(from)} … ${JSON.stringify(to)} no longer matches src/t.ts`);
  return s.slice(0, i) + s.slice(j + to.length);
}
function swap(s: string, from: string, to: string): string {
  if (!s.includes(from)) throw new Error(`parts.ts: ${JSON.stringify(from)} no longer matches src/t.ts`);
  return s.replace(from, to);
}

type Variant = { entry: string; transport: string };
const parts: [name: string, change: (v: Variant) => Variant][] = [
  ['Clicks: outbound, download candidates, declarative', (v) => ({ ...v, entry: cut(v.entry, 'const downloads = enabled', "on('auxclick', click);") })],
  [
    'Engagement: visible+focused clock, scroll depth, exit listeners',
    (v) => {
      let e = swap(v.entry, "track('pageview', o, u) && engagement && begin(u);", "track('pageview', o, u);");
      e = swap(e, '  leave();\n', '');
      e = cut(e, 'if (engagement) {', "on('pagehide', leave);\n}");
      return { ...v, entry: cut(e, 'const leave =', 'u));') };
    },
  ],
  ['Opt-outs: localStorage, DNT/GPC, localhost, data-exclude', (v) => ({ ...v, entry: swap(v.entry, 'const off = blocked(data);', 'const off = false;') })],
  [
    'Transport fallback and retry (keepalive fetch, one retry)',
    (v) => ({ ...v, transport: 'export function post(api: string | URL, body: string): void {\n  navigator.sendBeacon(api, body);\n}\n' }),
  ],
  ['SPA: history patch, popstate, de-duplication', (v) => ({ ...v, entry: cut(v.entry, '  if (enabled(data.spa)) {', "on('popstate', route);\n  }") })],
  [
    'Batch queue',
    (v) => ({
      ...v,
      entry: swap(
        v.entry,
        'const enqueue = batcher<Payload>((batch) => post(endpoint, JSON.stringify(batch)), queueMicrotask);',
        'const enqueue = (p: Payload) => post(endpoint, JSON.stringify([p]));',
      ),
    }),
  ],
  ['404', (v) => ({ ...v, entry: swap(v.entry, "if (data['404'] != null) api('404');", '') })],
  ['Hash routing', (v) => ({ ...v, entry: swap(v.entry, 'const hash = data.hash != null ? (1 as const) : undefined;', 'const hash = undefined;') })],
];
const declarative = (v: Variant): Variant => ({
  ...v,
  entry: swap(v.entry, 'if (tag) track(tag.dataset.sightlineEvent!, { props: tagProps(tag) });\n  else if', 'if'),
});

const work = mkdtempSync(path.join(tmpdir(), 'sightline-parts-'));
async function gzipSize(v: Variant): Promise<number> {
  const dir = path.join(work, 'src');
  rmSync(dir, { recursive: true, force: true });
  cpSync(srcDir, dir, { recursive: true });
  writeFileSync(path.join(dir, 't.ts'), v.entry);
  writeFileSync(path.join(dir, 'transport.ts'), v.transport);
  return (await gzipTracker(await bundleTracker(path.join(dir, 't.ts')))).length;
}

try {
  const real: Variant = { entry, transport };
  const full = await gzipSize(real);
  console.log(`t.js with everything on: ${full} B gzip (as served)\n\nPart (gzip B saved by cutting it alone)`);
  let all = real;
  let sum = 0;
  for (const [name, change] of parts) {
    const saved = full - (await gzipSize(change(real)));
    sum += saved;
    console.log(`  ${name}: ${saved}`);
    all = change(all);
  }
  console.log(`    of the clicks, declarative events: ${full - (await gzipSize(declarative(real)))}`);
  const core = await gzipSize(all);
  console.log(`\nSum of the parts alone: ${sum}`);
  console.log(`All parts cut together: ${full - core} saved; core left (pageview, API + stub replay, wire event, sendBeacon): ${core}`);
  // Which feature sets a 1,024 B script could keep (tracker/README.md "Size budget").
  console.log('\nScript size with some parts cut (gzip B)');
  const byName = (prefix: string) => parts.find(([name]) => name.startsWith(prefix))![1];
  const combos: [label: string, changes: ((v: Variant) => Variant)[]][] = [
    ['without declarative events, engagement', [declarative, byName('Engagement')]],
    ['without declarative events, engagement, transport fallback', [declarative, byName('Engagement'), byName('Transport')]],
    ['without declarative events, engagement, transport fallback, SPA', [declarative, byName('Engagement'), byName('Transport'), byName('SPA')]],
    ['without clicks, engagement', [byName('Clicks'), byName('Engagement')]],
  ];
  for (const [label, changes] of combos) {
    console.log(`  ${label}: ${await gzipSize(changes.reduce((v, change) => change(v), real))}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
