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

CREATE MATERIALIZED VIEW IF NOT EXISTS visit_stats_hourly_refresh
REFRESH EVERY 10 MINUTE APPEND TO visit_stats_hourly AS
WITH
    (SELECT max(hour) FROM visit_stats_hourly WHERE site_id = '' AND dim = '#done') AS lo,
    least(now64(3), (SELECT max(timestamp) FROM events)) AS newest,
    greatest(lo, if(newest < toDateTime64('1970-01-03 00:00:00', 3, 'UTC'), lo,
                    toStartOfHour(toDateTime(newest - INTERVAL 1 DAY, 'UTC')))) AS hi
SELECT site_id, dim, hour, value, visits, bounces, duration_ms, pageviews, visitors
FROM
(
    SELECT
        site_id,
        d.1 AS dim,
        toStartOfHour(toDateTime(s_start, 'UTC')) AS hour,
        d.2 AS value,
        count() AS visits,
        countIf(s_pageviews = 1 AND s_interactive = 0) AS bounces,
        sum(toUInt64(toUnixTimestamp64Milli(s_end) - toUnixTimestamp64Milli(s_start))) AS duration_ms,
        sum(s_pageviews) AS pageviews,
        uniqCombinedState(12)(s_visitor) AS visitors
    FROM
    (
        SELECT
            site_id,
            session_id,
            any(visitor_id) AS s_visitor,
            min(start) AS s_start,
            max(end) AS s_end,
            sum(pageviews) AS s_pageviews,
            sum(interactive_events) AS s_interactive,
            argMinMerge(entry_page) AS s_entry,
            argMaxMerge(exit_page) AS s_exit
        FROM sessions
        WHERE session_date >= toDate(lo) AND session_date <= toDate(hi) + 1
        GROUP BY site_id, session_id
        HAVING s_start >= lo AND s_start < hi
    )
    ARRAY JOIN [('', ''), ('entry_page', s_entry), ('exit_page', s_exit)] AS d
    GROUP BY site_id, dim, hour, value
    UNION ALL
    SELECT '' AS site_id, '#done' AS dim, hi AS hour, '' AS value,
           0 AS visits, 0 AS bounces, 0 AS duration_ms, 0 AS pageviews,
           uniqCombinedState(12)(toUInt64(number)) AS visitors
    FROM numbers(0)
)
SETTINGS max_threads = 1, max_insert_threads = 1,
         min_insert_block_size_rows = 1000000000000, min_insert_block_size_bytes = 1000000000000;
