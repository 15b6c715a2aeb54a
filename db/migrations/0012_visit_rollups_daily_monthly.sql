-- Visit rollup, continued (see 0011 and db/stats/README.md): daily and
-- monthly levels, so a year of top stats or entry/exit pages reads ~12
-- monthly rows per value instead of ~8760 hourly ones.
--
-- visit_stats_daily / visit_stats_monthly aggregate what visit_stats_hourly
-- receives, `#done` markers included: a level's marker row keeps the exact
-- instant in `value`, and lands in the same part as that level's rows (one
-- block per refresh, unpartitioned tables), so each level says by itself how
-- far it is complete.
--
-- `visit_stats_refresh` (below) fills all three levels, with settings that
-- keep the cascaded inserts in one block.

CREATE TABLE IF NOT EXISTS visit_stats_daily
(
    site_id     LowCardinality(String),
    dim         LowCardinality(String),
    day         Date,
    value       String,
    visits      SimpleAggregateFunction(sum, UInt64),
    bounces     SimpleAggregateFunction(sum, UInt64),
    duration_ms SimpleAggregateFunction(sum, UInt64),
    pageviews   SimpleAggregateFunction(sum, UInt64),
    visitors    AggregateFunction(uniqCombined(12), UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, day, value)
SETTINGS index_granularity = 256;

CREATE TABLE IF NOT EXISTS visit_stats_monthly
(
    site_id     LowCardinality(String),
    dim         LowCardinality(String),
    month       Date,
    value       String,
    visits      SimpleAggregateFunction(sum, UInt64),
    bounces     SimpleAggregateFunction(sum, UInt64),
    duration_ms SimpleAggregateFunction(sum, UInt64),
    pageviews   SimpleAggregateFunction(sum, UInt64),
    visitors    AggregateFunction(uniqCombined(12), UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, month, value)
SETTINGS index_granularity = 256;

CREATE MATERIALIZED VIEW IF NOT EXISTS visit_stats_daily_mv TO visit_stats_daily AS
SELECT site_id, dim, day, val AS value, vi AS visits, bo AS bounces, du AS duration_ms, pv AS pageviews, vs AS visitors
FROM
(
    SELECT site_id, dim, toDate(hour) AS day, if(dim = '#done', toString(hour), value) AS val,
           sum(visits) AS vi, sum(bounces) AS bo, sum(duration_ms) AS du, sum(pageviews) AS pv,
           uniqCombinedMergeState(12)(visitors) AS vs
    FROM visit_stats_hourly
    GROUP BY site_id, dim, day, val
);

CREATE MATERIALIZED VIEW IF NOT EXISTS visit_stats_monthly_mv TO visit_stats_monthly AS
SELECT site_id, dim, month, val AS value, vi AS visits, bo AS bounces, du AS duration_ms, pv AS pageviews, vs AS visitors
FROM
(
    SELECT site_id, dim, toStartOfMonth(day) AS month, value AS val,
           sum(visits) AS vi, sum(bounces) AS bo, sum(duration_ms) AS du, sum(pageviews) AS pv,
           uniqCombinedMergeState(12)(visitors) AS vs
    FROM visit_stats_daily
    GROUP BY site_id, dim, month, val
);

-- What the hourly level already holds (monthly follows through its view).
INSERT INTO visit_stats_daily
SELECT site_id, dim, day, val, vi, bo, du, pv, vs
FROM
(
    SELECT site_id, dim, toDate(hour) AS day, if(dim = '#done', toString(hour), value) AS val,
           sum(visits) AS vi, sum(bounces) AS bo, sum(duration_ms) AS du, sum(pageviews) AS pv,
           uniqCombinedMergeState(12)(visitors) AS vs
    FROM visit_stats_hourly
    GROUP BY site_id, dim, day, val
);

CREATE MATERIALIZED VIEW IF NOT EXISTS visit_stats_refresh
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
         min_insert_block_size_rows = 1000000000000, min_insert_block_size_bytes = 1000000000000,
         min_insert_block_size_rows_for_materialized_views = 1000000000000,
         min_insert_block_size_bytes_for_materialized_views = 1000000000000;
