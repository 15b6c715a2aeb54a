/**
 * Opt-out decisions: whether an event must not be sent at all (the
 * localStorage opt-out, Do Not Track / Global Privacy Control, local
 * development hosts, excluded paths). `excluded` and `isLocal` are pure;
 * `blocked` reads the page's own `location`, `navigator` and
 * `localStorage` (passing them in cost bytes on every call site).
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

/** Checked on every event: the flag and the path can change while the page lives. */
export const blocked = (d: RuleSwitches): boolean | undefined => {
  let flag;
  try {
    // Storage access throws in some sandboxed iframes and privacy modes.
    flag = localStorage.sightline_ignore;
  } catch {}
  return (
    flag == 'true' ||
    (d.respectDnt != 'false' &&
      (navigator.doNotTrack == '1' || (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl)) ||
    (d.allowLocalhost == null && isLocal(location.hostname)) ||
    excluded(location.pathname, d.exclude)
  );
};
