import type { NextConfig } from 'next';

// Native and Node-only packages stay outside Next's bundles: chdb loads a
// native library that must exist once per process, and kafkajs/pino/maxmind
// are plain Node modules that gain nothing from bundling.
const config: NextConfig = {
  serverExternalPackages: [
    'chdb',
    '@clickhouse/client',
    'kafkajs',
    'pino',
    'prom-client',
    'maxmind',
    'socket.io',
    'ua-parser-js',
  ],
  poweredByHeader: false,
  // Lets parallel checkouts/builds (CI, benchmarks) keep separate build outputs.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // The test command type-checks the whole project (npm run typecheck) once,
  // then builds with NEXT_SKIP_TYPECHECK=1 instead of checking twice.
  typescript: { ignoreBuildErrors: process.env.NEXT_SKIP_TYPECHECK === '1' },
};

export default config;
