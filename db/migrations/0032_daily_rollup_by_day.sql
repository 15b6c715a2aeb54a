-- stats_daily sorted by day first: (site_id, day, dim, value, sub) instead
-- of (site_id, dim, day, value, sub).
--
-- Closed days are read from stats_closed_* (0030), so what still reads
-- stats_daily is a few recent days: today's sketches on every dashboard
-- request, and the closed-day refresh. Sorted by dimension first, each
-- dimension's today sat at the end of its own run, and every run cost a
-- granule of older days' sketches to read and decode (three times the rows
-- today holds). By day first, today is one run.
--
-- The sort key of a table cannot change in place: the rows move to a new
-- table, and the views that write into stats_daily or read from it are made
-- anew around it. Stop the workers while it runs (`npm run migrate`): events
-- stored in between would miss the daily, weekly and monthly rollups.
DROP VIEW IF EXISTS stats_closed_refresh;
DROP VIEW IF EXISTS stats_weekly_mv;
DROP VIEW IF EXISTS stats_monthly_mv;
DROP VIEW IF EXISTS stats_daily_mv;

CREATE TABLE stats_daily_by_day
(
    site_id   LowCardinality(String),
    dim       LowCardinality(String),
    day       Date,
    value     String,
    sub       String,
    visitors  AggregateFunction(uniqCombined(12), UInt64),
    pageviews SimpleAggregateFunction(sum, UInt64),
    events    SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (site_id, day, dim, value, sub)
SETTINGS index_granularity = 256;

INSERT INTO stats_daily_by_day
SELECT site_id, dim, day, value, sub, visitors, pageviews, events FROM stats_daily;

DROP TABLE stats_daily SYNC;

RENAME TABLE stats_daily_by_day TO stats_daily;

CREATE MATERIALIZED VIEW stats_daily_mv TO stats_daily AS
SELECT site_id, dim, day, value, sub, v AS visitors, pv AS pageviews, ev AS events
FROM
(
    SELECT site_id, dim, toDate(hour) AS day, value, sub,
           uniqCombinedMergeState(12)(visitors) AS v, sum(pageviews) AS pv, sum(events) AS ev
    FROM stats_hourly
    GROUP BY site_id, dim, day, value, sub
);

CREATE MATERIALIZED VIEW stats_weekly_mv TO stats_weekly AS
SELECT site_id, dim, week, value, sub, v AS visitors, pv AS pageviews, ev AS events
FROM
(
    SELECT site_id, dim, toMonday(day) AS week, value, sub,
           uniqCombinedMergeState(12)(visitors) AS v, sum(pageviews) AS pv, sum(events) AS ev
    FROM stats_daily
    GROUP BY site_id, dim, week, value, sub
);

CREATE MATERIALIZED VIEW stats_monthly_mv TO stats_monthly AS
SELECT site_id, dim, month, value, sub, v AS visitors, pv AS pageviews, ev AS events
FROM
(
    SELECT site_id, dim, toStartOfMonth(day) AS month, value, sub,
           uniqCombinedMergeState(12)(visitors) AS v, sum(pageviews) AS pv, sum(events) AS ev
    FROM stats_daily
    GROUP BY site_id, dim, month, value, sub
);

-- As in 0031.
CREATE MATERIALIZED VIEW stats_closed_refresh
REFRESH EVERY 10 MINUTE APPEND TO stats_closed_daily AS
WITH
    (SELECT max(day) FROM stats_closed_daily WHERE site_id = '' AND dim = '#done') AS lo,
    least(now64(3), (SELECT max(timestamp) FROM events)) AS newest,
    greatest(lo, if(newest < toDateTime64('1970-01-03 00:00:00', 3, 'UTC'), lo, toDate(newest - INTERVAL 1 HOUR))) AS hi
SELECT site_id, dim, day, value, sub, visitors, pageviews, events
FROM
(
    SELECT site_id, dim, day, value, sub,
           uniqCombinedMerge(12)(stats_daily.visitors) AS visitors,
           sum(stats_daily.pageviews) AS pageviews,
           sum(stats_daily.events) AS events
    FROM stats_daily
    WHERE day >= lo AND day < hi
    GROUP BY site_id, dim, day, value, sub
    UNION ALL
    SELECT '' AS site_id, '#done' AS dim, hi AS day, '' AS value, '' AS sub,
           toUInt64(0) AS visitors, toUInt64(0) AS pageviews, toUInt64(0) AS events
)
SETTINGS max_threads = 1, max_insert_threads = 1,
         min_insert_block_size_rows = 1000000000000, min_insert_block_size_bytes = 1000000000000,
         min_insert_block_size_rows_for_materialized_views = 1000000000000,
         min_insert_block_size_bytes_for_materialized_views = 1000000000000;
