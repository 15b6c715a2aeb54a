/**
 * One report's data: fetched when its URL changes, the previous request
 * aborted, the last result kept on screen (dimmed) while the next loads.
 * `reload()` retries after an error; `refreshMs` polls (realtime counter).
 * The first view of a dashboard comes from one shared call (OneCall.tsx).
 */
'use client';

import { useCallback, useEffect, useState } from 'react';
import { useStatsSource } from './OneCall';
import { StatsError } from './stats-client';

export interface StatsState<T> {
  data: T | undefined;
  error: StatsError | undefined;
  loading: boolean;
  reload(): void;
}

export function useStats<T>(url: string | null, refreshMs?: number): StatsState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<StatsError>();
  const [loading, setLoading] = useState(Boolean(url));
  const [attempt, setAttempt] = useState(0);
  const source = useStatsSource();

  useEffect(() => {
    if (!url) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (quiet: boolean) => {
      if (!quiet) setLoading(true);
      source<T>(url, controller.signal).then(
        (value) => {
          if (controller.signal.aborted) return;
          setData(value);
          setError(undefined);
          setLoading(false);
          if (refreshMs) timer = setTimeout(() => load(true), refreshMs);
        },
        (err: unknown) => {
          if (controller.signal.aborted) return;
          setError(err instanceof StatsError ? err : new StatsError(String(err), 0));
          setLoading(false);
        },
      );
    };
    load(false);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [url, attempt, refreshMs, source]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, loading, reload };
}
