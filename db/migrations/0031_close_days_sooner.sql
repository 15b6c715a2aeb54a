-- A UTC day of the event rollup is closed an hour after its end instead of
-- a day after it (both measured at the newest stored event).
--
-- Event times are the server's receive times, so an event lands late only
-- while a worker lags behind another; an hour is the margin the visit
-- rollup already gives (0030). Closing sooner leaves only today as open
-- sketches for most of the day, instead of today and yesterday: the open
-- part is what a dashboard still merges per request. Rows already closed
-- stay as they are; the next run closes up to the new marker.
DROP VIEW IF EXISTS stats_closed_refresh;

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
