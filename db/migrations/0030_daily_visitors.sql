-- Visitors are counted per UTC day, and closed days are stored as plain
-- counts (see db/stats/README.md, "Visitors per day").
--
-- Visitor ids are salted per UTC day, so a person seen on two days is two
-- visitors, as in Plausible: visitors over a range are the sum of each
-- day's unique visitors. Every visitors sketch therefore holds the key
-- sipHash64(visitor_id, UTC day) — for visits, the day the visit started —
-- so sketches of different days never share a key and merging them counts
-- that sum exactly. The state type stays AggregateFunction(uniqCombined(12),
-- UInt64).
--
-- Because a day's count never changes once the day is over, closed days are
-- finalized into UInt64 counts (stats_closed_*, visit_stats_closed_*), and a
-- report sums those instead of merging sketches, which is where the time of
-- a dashboard went. Only the open days (about the last two) and the partial
-- edge days of a non-UTC period merge sketches.
--
-- Upgrading recomputes the event and visit rollups from `events` and
-- `sessions`. In scale-out, stop the workers while it runs: events inserted
-- during the refill could be counted twice in the rollups.

-- 1. The event rollups key their sketch by (visitor, day), refilled from events.
DROP VIEW IF EXISTS stats_hourly_mv;

CREATE MATERIALIZED VIEW stats_hourly_mv TO stats_hourly AS
SELECT
    site_id,
    d.1 AS dim,
    toStartOfHour(timestamp) AS hour,
    d.2 AS value,
    d.3 AS sub,
    uniqCombinedState(12)(sipHash64(visitor_id, toDate(timestamp))) AS visitors,
    countIf(name = 'pageview') AS pageviews,
    count() AS events
FROM events
ARRAY JOIN arrayConcat([
    ('', '', ''),
    ('page', pathname, ''),
    ('hostname', toString(hostname), ''),
    ('name', toString(name), ''),
    ('source', toString(referrer_source), ''),
    ('referrer', referrer, ''),
    ('channel', toString(channel), ''),
    ('utm_medium', utm_medium, ''),
    ('utm_source', utm_source, ''),
    ('utm_campaign', utm_campaign, ''),
    ('utm_content', utm_content, ''),
    ('utm_term', utm_term, ''),
    ('device', toString(device), ''),
    ('browser', toString(browser), ''),
    ('browser_version', toString(browser), toString(browser_version)),
    ('os', toString(os), ''),
    ('os_version', toString(os), toString(os_version)),
    ('country', toString(country_code), ''),
    ('region', toString(region), ''),
    ('city', city, '')
], if(name = 'pageview', [('pageview_page', pathname, '')], [])) AS d
WHERE name != 'engagement'
GROUP BY site_id, dim, hour, value, sub;

TRUNCATE TABLE stats_hourly;
TRUNCATE TABLE stats_daily;
TRUNCATE TABLE stats_weekly;
TRUNCATE TABLE stats_monthly;

-- Through the views: daily, weekly and monthly follow. A large history
-- spills its aggregation to disk rather than exceed the memory limit.
INSERT INTO stats_hourly
SELECT
    site_id,
    d.1 AS dim,
    toStartOfHour(timestamp) AS hour,
    d.2 AS value,
    d.3 AS sub,
    uniqCombinedState(12)(sipHash64(visitor_id, toDate(timestamp))) AS visitors,
    countIf(name = 'pageview') AS pageviews,
    count() AS events
FROM events
ARRAY JOIN arrayConcat([
    ('', '', ''),
    ('page', pathname, ''),
    ('hostname', toString(hostname), ''),
    ('name', toString(name), ''),
    ('source', toString(referrer_source), ''),
    ('referrer', referrer, ''),
    ('channel', toString(channel), ''),
    ('utm_medium', utm_medium, ''),
    ('utm_source', utm_source, ''),
    ('utm_campaign', utm_campaign, ''),
    ('utm_content', utm_content, ''),
    ('utm_term', utm_term, ''),
    ('device', toString(device), ''),
    ('browser', toString(browser), ''),
    ('browser_version', toString(browser), toString(browser_version)),
    ('os', toString(os), ''),
    ('os_version', toString(os), toString(os_version)),
    ('country', toString(country_code), ''),
    ('region', toString(region), ''),
    ('city', city, '')
], if(name = 'pageview', [('pageview_page', pathname, '')], [])) AS d
WHERE name != 'engagement'
GROUP BY site_id, dim, hour, value, sub
SETTINGS max_bytes_before_external_group_by = 1000000000;

-- 2. The visit rollup keys its sketch by (visitor, day the visit started);
-- emptied here and refilled by its refresh, which starts over from nothing.
-- Its marker now trails the newest event by less than a day: it stops at the
-- start of the oldest visit still open (an event in the last 30 minutes),
-- and at most an hour before the newest event (late events), so reports
-- read hours rather than a day of `sessions`. A visit open for over a day
-- is still taken as of a day after its start.
DROP VIEW IF EXISTS visit_stats_refresh;

TRUNCATE TABLE visit_stats_hourly;
TRUNCATE TABLE visit_stats_daily;
TRUNCATE TABLE visit_stats_weekly;
TRUNCATE TABLE visit_stats_monthly;

CREATE MATERIALIZED VIEW visit_stats_refresh
REFRESH EVERY 10 MINUTE APPEND TO visit_stats_hourly AS
WITH
    (SELECT max(hour) FROM visit_stats_hourly WHERE site_id = '' AND dim = '#done') AS lo,
    least(now64(3), (SELECT max(timestamp) FROM events)) AS newest,
    (SELECT minOrNull(s_start) FROM
        (SELECT min(start) AS s_start, max(end) AS s_end FROM sessions
         WHERE session_date >= toDate(newest - INTERVAL 1 DAY) - 1
         GROUP BY site_id, session_id
         HAVING s_end > newest - INTERVAL 30 MINUTE)) AS open_from,
    greatest(newest - INTERVAL 1 DAY, least(newest - INTERVAL 1 HOUR, ifNull(open_from, newest))) AS settled,
    greatest(lo, if(newest < toDateTime64('1970-01-03 00:00:00', 3, 'UTC'), lo,
                    toStartOfHour(toDateTime(settled, 'UTC')))) AS hi
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
        uniqCombinedState(12)(sipHash64(s_visitor, toDate(s_start))) AS visitors
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

-- 3. Closed days of the event rollup as plain counts. A UTC day is closed
-- once the newest stored event is a day past its end (the same margin the
-- visit rollup gives late events). Each run appends the days between the
-- last `#done` marker (day = first day not yet closed) and the new one, as
-- one block with its marker, so a reader that sees a marker sees the rows.
-- Weekly and monthly sums follow through views; a week or month is whole
-- once the marker has passed its end.
CREATE TABLE IF NOT EXISTS stats_closed_daily
(
    site_id   LowCardinality(String),
    dim       LowCardinality(String),
    day       Date,
    value     String,
    sub       String,
    visitors  UInt64,
    pageviews UInt64,
    events    UInt64
)
ENGINE = MergeTree
PARTITION BY toYear(day)
ORDER BY (site_id, dim, day, value, sub)
SETTINGS index_granularity = 256;

CREATE TABLE IF NOT EXISTS stats_closed_weekly
(
    site_id   LowCardinality(String),
    dim       LowCardinality(String),
    week      Date,
    value     String,
    sub       String,
    visitors  SimpleAggregateFunction(sum, UInt64),
    pageviews SimpleAggregateFunction(sum, UInt64),
    events    SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(week)
ORDER BY (site_id, dim, week, value, sub)
SETTINGS index_granularity = 256;

CREATE TABLE IF NOT EXISTS stats_closed_monthly
(
    site_id   LowCardinality(String),
    dim       LowCardinality(String),
    month     Date,
    value     String,
    sub       String,
    visitors  SimpleAggregateFunction(sum, UInt64),
    pageviews SimpleAggregateFunction(sum, UInt64),
    events    SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, month, value, sub)
SETTINGS index_granularity = 256;

CREATE MATERIALIZED VIEW IF NOT EXISTS stats_closed_weekly_mv TO stats_closed_weekly AS
SELECT site_id, dim, toMonday(day) AS week, value, sub, sum(visitors) AS visitors, sum(pageviews) AS pageviews, sum(events) AS events
FROM stats_closed_daily
WHERE dim != '#done'
GROUP BY site_id, dim, week, value, sub;

CREATE MATERIALIZED VIEW IF NOT EXISTS stats_closed_monthly_mv TO stats_closed_monthly AS
SELECT site_id, dim, toStartOfMonth(day) AS month, value, sub, sum(visitors) AS visitors, sum(pageviews) AS pageviews, sum(events) AS events
FROM stats_closed_daily
WHERE dim != '#done'
GROUP BY site_id, dim, month, value, sub;

CREATE MATERIALIZED VIEW IF NOT EXISTS stats_closed_refresh
REFRESH EVERY 10 MINUTE APPEND TO stats_closed_daily AS
WITH
    (SELECT max(day) FROM stats_closed_daily WHERE site_id = '' AND dim = '#done') AS lo,
    least(now64(3), (SELECT max(timestamp) FROM events)) AS newest,
    greatest(lo, if(newest < toDateTime64('1970-01-03 00:00:00', 3, 'UTC'), lo, toDate(newest - INTERVAL 1 DAY))) AS hi
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

-- 4. Closed days of the visit rollup: the whole UTC days before its daily
-- level's marker (every visit that started on them is in), by day the
-- visits started.
CREATE TABLE IF NOT EXISTS visit_stats_closed_daily
(
    site_id     LowCardinality(String),
    dim         LowCardinality(String),
    day         Date,
    value       String,
    visits      UInt64,
    bounces     UInt64,
    duration_ms UInt64,
    pageviews   UInt64,
    visitors    UInt64
)
ENGINE = MergeTree
ORDER BY (site_id, dim, day, value)
SETTINGS index_granularity = 256;

CREATE TABLE IF NOT EXISTS visit_stats_closed_weekly
(
    site_id     LowCardinality(String),
    dim         LowCardinality(String),
    week        Date,
    value       String,
    visits      SimpleAggregateFunction(sum, UInt64),
    bounces     SimpleAggregateFunction(sum, UInt64),
    duration_ms SimpleAggregateFunction(sum, UInt64),
    pageviews   SimpleAggregateFunction(sum, UInt64),
    visitors    SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, week, value)
SETTINGS index_granularity = 256;

CREATE TABLE IF NOT EXISTS visit_stats_closed_monthly
(
    site_id     LowCardinality(String),
    dim         LowCardinality(String),
    month       Date,
    value       String,
    visits      SimpleAggregateFunction(sum, UInt64),
    bounces     SimpleAggregateFunction(sum, UInt64),
    duration_ms SimpleAggregateFunction(sum, UInt64),
    pageviews   SimpleAggregateFunction(sum, UInt64),
    visitors    SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, month, value)
SETTINGS index_granularity = 256;

CREATE MATERIALIZED VIEW IF NOT EXISTS visit_stats_closed_weekly_mv TO visit_stats_closed_weekly AS
SELECT site_id, dim, toMonday(day) AS week, value,
       sum(visits) AS visits, sum(bounces) AS bounces, sum(duration_ms) AS duration_ms, sum(pageviews) AS pageviews, sum(visitors) AS visitors
FROM visit_stats_closed_daily
WHERE dim != '#done'
GROUP BY site_id, dim, week, value;

CREATE MATERIALIZED VIEW IF NOT EXISTS visit_stats_closed_monthly_mv TO visit_stats_closed_monthly AS
SELECT site_id, dim, toStartOfMonth(day) AS month, value,
       sum(visits) AS visits, sum(bounces) AS bounces, sum(duration_ms) AS duration_ms, sum(pageviews) AS pageviews, sum(visitors) AS visitors
FROM visit_stats_closed_daily
WHERE dim != '#done'
GROUP BY site_id, dim, month, value;

CREATE MATERIALIZED VIEW IF NOT EXISTS visit_stats_closed_refresh
REFRESH EVERY 10 MINUTE APPEND TO visit_stats_closed_daily AS
WITH
    (SELECT max(day) FROM visit_stats_closed_daily WHERE site_id = '' AND dim = '#done') AS lo,
    greatest(lo, (SELECT toDate(max(toDateTime(value, 'UTC'))) FROM visit_stats_daily WHERE site_id = '' AND dim = '#done')) AS hi
SELECT site_id, dim, day, value, visits, bounces, duration_ms, pageviews, visitors
FROM
(
    SELECT site_id, dim, day, value,
           sum(visit_stats_daily.visits) AS visits,
           sum(visit_stats_daily.bounces) AS bounces,
           sum(visit_stats_daily.duration_ms) AS duration_ms,
           sum(visit_stats_daily.pageviews) AS pageviews,
           uniqCombinedMerge(12)(visit_stats_daily.visitors) AS visitors
    FROM visit_stats_daily
    WHERE day >= lo AND day < hi AND dim != '#done'
    GROUP BY site_id, dim, day, value
    UNION ALL
    SELECT '' AS site_id, '#done' AS dim, hi AS day, '' AS value,
           toUInt64(0) AS visits, toUInt64(0) AS bounces, toUInt64(0) AS duration_ms, toUInt64(0) AS pageviews, toUInt64(0) AS visitors
)
SETTINGS max_threads = 1, max_insert_threads = 1,
         min_insert_block_size_rows = 1000000000000, min_insert_block_size_bytes = 1000000000000,
         min_insert_block_size_rows_for_materialized_views = 1000000000000,
         min_insert_block_size_bytes_for_materialized_views = 1000000000000;
