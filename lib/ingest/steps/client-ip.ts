/** The client's IP: the socket's address, or the first X-Forwarded-For hop when TRUST_PROXY is set. */
export function clientIp(header: (name: string) => string | null | undefined, socketAddress: string | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return stripPort(forwarded);
    const real = header('x-real-ip')?.trim();
    if (real) return real;
  }
  return (socketAddress ?? '').replace(/^::ffff:/, '');
}

function stripPort(ip: string): string {
  if (ip.startsWith('[')) return ip.slice(1, ip.indexOf(']'));
  return /^\d+\.\d+\.\d+\.\d+:\d+$/.test(ip) ? ip.slice(0, ip.lastIndexOf(':')) : ip;
}
