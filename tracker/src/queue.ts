/**
 * A small bounded queue: events pushed in the same tick leave together in
 * one request (at most MAX_BATCH per request); past MAX_QUEUED the newest
 * are dropped, so a runaway loop cannot flood the network.
 */
export const MAX_BATCH = 10;
export const MAX_QUEUED = 50;

export function batcher<T>(send: (batch: T[]) => void, schedule: (flush: () => void) => void): (item: T) => void {
  const q: T[] = [];
  return (item) => {
    // The first item of a tick schedules the flush; later ones ride along.
    q.length < MAX_QUEUED &&
      q.push(item) == 1 &&
      schedule(() => {
        while (q.length) send(q.splice(0, MAX_BATCH));
      });
  };
}
