/**
 * The ingest contract: what a tracker may POST to /api/event.
 * Compatible with Plausible's Events API (long keys) and its tracker's short
 * keys; a JSON array is a batch. Every limit here is a 400 with a reason.
 */
import { z } from 'zod';

export const LIMITS = {
  bodyBytes: 64 * 1024,
  batchEvents: 100,
  nameChars: 120,
  urlChars: 2048,
  domainChars: 253,
  propCount: 30,
  propKeyChars: 300,
  propValueChars: 2000,
} as const;

const propValue = z.union([z.string().max(LIMITS.propValueChars), z.number().finite(), z.boolean()]);
const props = z
  .record(z.string().min(1).max(LIMITS.propKeyChars), propValue)
  .refine((p) => Object.keys(p).length <= LIMITS.propCount, { message: `at most ${LIMITS.propCount} props` });

const revenue = z.object({
  amount: z.union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code').transform((c) => c.toUpperCase()),
});

const httpUrl = z
  .string()
  .max(LIMITS.urlChars)
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), { message: 'an absolute http(s) URL' });

/** One event, long keys only (short keys are mapped before parsing). */
export const eventSchema = z
  .object({
    name: z.string().trim().min(1).max(LIMITS.nameChars),
    url: httpUrl,
    domain: z.string().trim().toLowerCase().min(1).max(LIMITS.domainChars).regex(/^[a-z0-9.-]+(:\d+)?$/, 'a domain name'),
    referrer: z.string().max(LIMITS.urlChars).nullish(),
    // Plausible sends props as `m`/`meta` (a JSON string) or `p`/`props` (an object).
    props: z
      .union([props, z.string().max(LIMITS.bodyBytes)])
      .nullish()
      .transform((p, ctx) => {
        if (typeof p !== 'string') return p ?? undefined;
        try {
          const parsed = props.safeParse(JSON.parse(p));
          if (parsed.success) return parsed.data;
        } catch {
          /* reported below */
        }
        ctx.addIssue({ code: 'custom', message: 'props must be a flat object of strings, numbers and booleans' });
        return z.NEVER;
      }),
    revenue: revenue.nullish(),
    interactive: z.boolean().optional(),
    screen_width: z.number().int().min(0).max(100_000).optional(),
    hash: z.union([z.boolean(), z.literal(0), z.literal(1)]).optional(),
    engagement_time: z.number().int().min(0).max(86_400_000).optional(),
    scroll_depth: z.number().int().min(0).max(100).optional(),
    // Sightline's tracker: a link click for the server to classify (lib/ingest/steps/builtin.ts),
    // with the site's extra download extensions, comma-separated ('' for none).
    download_extensions: z.string().max(LIMITS.propValueChars).optional(),
  })
  .strict();

export type EventPayload = z.infer<typeof eventSchema>;

/** Short keys sent by trackers (ours and Plausible's) → long keys. */
const SHORT_KEYS: Record<string, keyof EventPayload> = {
  n: 'name',
  u: 'url',
  d: 'domain',
  r: 'referrer',
  p: 'props',
  m: 'props',
  meta: 'props',
  $: 'revenue',
  i: 'interactive',
  w: 'screen_width',
  h: 'hash',
  hashMode: 'hash',
  e: 'engagement_time',
  sd: 'scroll_depth',
  x: 'download_extensions',
};

export function expandKeys(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) out[SHORT_KEYS[k] ?? k] = v;
  return out;
}

export type ParseResult = { ok: true; events: EventPayload[] } | { ok: false; reason: string; detail: string };

/** Parses a request body (already size-checked) into validated events. */
export function parseBody(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid_json', detail: 'body is not valid JSON' };
  }
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0) return { ok: false, reason: 'empty_batch', detail: 'batch has no events' };
  if (items.length > LIMITS.batchEvents) {
    return { ok: false, reason: 'batch_too_large', detail: `at most ${LIMITS.batchEvents} events per request` };
  }
  const events: EventPayload[] = [];
  for (const [index, item] of items.entries()) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      return { ok: false, reason: 'invalid_event', detail: `event ${index} is not an object` };
    }
    const parsed = eventSchema.safeParse(expandKeys(item));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'event';
      return { ok: false, reason: 'invalid_event', detail: `event ${index}: ${where}: ${issue?.message ?? 'invalid'}` };
    }
    events.push(parsed.data);
  }
  return { ok: true, events };
}
