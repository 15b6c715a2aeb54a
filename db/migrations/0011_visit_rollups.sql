-- Visit rollup for the Stats API (read by db/stats, see db/stats/README.md).
--
-- visit_stats_hourly: finished visits per site, UTC hour of the visit's
-- start, and dimension ('' = whole site, 'entry_page', 'exit_page'): visits,
-- bounces (one pageview and no interactive custom event), the summed visit
-- duration in ms, pageviews and a visitors sketch. It answers visits,
-- bounce_rate, visit_duration and views_per_visit for top stats and the main
-- chart, and the entry/exit pages cards, without merging `sessions` by
-- session_id at read time.
--
-- A visit is only final once it is over, so this is not an insert-time view:
-- the refreshable view below appends, every 10 minutes, the visits that
-- started before `done` — one day before the newest stored event (or now, if
-- earlier) — and after the last run's `done`. Each run writes its rows and
-- its `done` marker (site_id '', dim '#done', hour = done) as ONE block into
-- this unpartitioned table, so they land in one part: a reader that sees a
-- marker sees all rows up to it. Reports read the rollup before the newest
-- marker and merge `sessions` for visits that started after it.
--
-- Visits whose events arrive more than a day after the marker passed their
-- start (an import of old events) are not in the rollup; rebuild it with
-- rebuildVisitRollup() in db/stats/rollups.ts (TRUNCATE + refresh).
CREATE TABLE IF NOT EXISTS visit_stats_hourly
(
    site_id     LowCardinality(String),
    dim         LowCardinality(String),
    hour        DateTime('UTC'),
    value       String,
    visits      SimpleAggregateFunction(sum, UInt64),
    bounces     SimpleAggregateFunction(sum, UInt64),
    duration_ms SimpleAggregateFunction(sum, UInt64),
    pageviews   SimpleAggregateFunction(sum, UInt64),
    visitors    AggregateFunction(uniqCombined(12), UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, hour, value)
SETTINGS index_granularity = 256;

-- The refreshable view that fills it, `visit_stats_refresh`, is created in
-- 0012 together with the daily and monthly levels it also feeds.
