/**
 * Which domains ingest accepts. A process-local cache of the `sites` table,
 * refreshed in the background; an unknown domain triggers at most one reload
 * every few seconds, so a site added on another node is picked up quickly
 * while a flood of events for an unknown domain cannot hammer ClickHouse.
 */
export class SiteRegistry {
  private domains = new Set<string>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly loadDomains: () => Promise<string[]>,
    private readonly maxAgeMs = 30_000,
    private readonly missReloadMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  async has(domain: string): Promise<boolean> {
    const age = this.now() - this.loadedAt;
    if (age > this.maxAgeMs || (!this.domains.has(domain) && age > this.missReloadMs)) await this.reload();
    return this.domains.has(domain);
  }

  /** Call after adding or removing a site on this node. */
  async reload(): Promise<void> {
    this.loading ??= this.loadDomains()
      .then((list) => {
        this.domains = new Set(list);
        this.loadedAt = this.now();
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
