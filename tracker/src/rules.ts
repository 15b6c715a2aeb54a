/**
 * Opt-out decisions: whether an event must not be sent at all (the
 * localStorage opt-out, Do Not Track / Global Privacy Control, local
 * development hosts, excluded paths). Pure: the browser glue passes
 * `location`, `navigator`, the opt-out flag and the script's dataset.
 */

/** The script's data-* switches this module reads. */
export interface RuleSwitches {
  respectDnt?: string;
  allowLocalhost?: string;
  exclude?: string;
}

/**
 * `data-exclude` patterns (separated by commas or spaces), each matched
 * against the whole path: `*` is one path segment, `**` anything,
 * including `/`.
 */
export const excluded = (path: string, patterns?: string): boolean | undefined =>
  patterns
    ?.split(/[\s,]+/)
    .some((p) => RegExp('^' + p.replace(/\*\*?/g, (m) => (m[1] ? '.*' : '[^/]*')) + '$').test(path));

/** localhost, 127.x.x.x, [::1], or no host at all (a file: page). */
export const isLocal = (hostname: string): boolean => /^(localhost|127(\.\d+){3}|\[::1\]|)$/.test(hostname);

export const blocked = (
  loc: { hostname: string; pathname: string },
  nav: { doNotTrack?: string | null; globalPrivacyControl?: boolean },
  ignoreFlag: unknown,
  d: RuleSwitches,
): boolean | undefined =>
  ignoreFlag == 'true' ||
  (d.respectDnt != 'false' && (nav.doNotTrack == '1' || nav.globalPrivacyControl)) ||
  (d.allowLocalhost == null && isLocal(loc.hostname)) ||
  excluded(loc.pathname, d.exclude);
