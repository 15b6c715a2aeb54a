/**
 * Brotli of the script (quality 11, the densest), shared by serve.ts, which
 * sends it to clients that accept `br`, and bundle.ts, which reports its size.
 * A few milliseconds for a script this small, so it is made in-process.
 */
import { brotliCompressSync, constants } from 'node:zlib';

export const brotliOf = (code: string | Buffer): Buffer => {
  const buf = Buffer.from(code);
  return brotliCompressSync(buf, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  });
};
