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
  typescript: { ignoreBuildErrors: false },
};

export default config;
