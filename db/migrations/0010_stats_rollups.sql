-- Stats API rollups over `events` (read by db/stats, see db/stats/README.md).
--
-- stats_hourly / stats_daily / stats_monthly: one row per site, dimension,
-- UTC time slot and dimension value, with the visitors sketch, pageviews and
-- events (engagement events excluded). `dim` names the property the row
-- breaks down ('' = the whole site, 'page', 'source', 'country', ...;
-- 'pageview_page' counts pageviews only, for pageview goals);
-- `value` is its value and `sub` the version for browser_version/os_version
-- rows (value = browser/os). Visitors are a uniqCombined(12) sketch, the same
-- function the raw-table queries use, so a report gives the same number from
-- a rollup or from `events`.
--
-- They answer unfiltered (or single-dimension filtered) visitors, pageviews
-- and events: top stats, the main chart, and the top pages, sources,
-- channels, referrers, UTM, locations, devices, browsers, OS, events and
-- goals cards. Reports tile a period into whole UTC months, days and hours,
-- so site time zones with whole-hour offsets are served exactly.
--
-- Hourly rows come from events on insert; daily from hourly, monthly from
-- daily (each level aggregates the rows the level below just received).
-- Granules are small (256 rows): a state column is deserialized a whole
-- granule at a time, and a card reads only a few rows per dimension.
CREATE TABLE IF NOT EXISTS stats_hourly
(
    site_id   LowCardinality(String),
    dim       LowCardinality(String),
    hour      DateTime('UTC'),
    value     String,
    sub       String,
    visitors  AggregateFunction(uniqCombined(12), UInt64),
    pageviews SimpleAggregateFunction(sum, UInt64),
    events    SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, dim, hour, value, sub)
SETTINGS index_granularity = 256;

CREATE TABLE IF NOT EXISTS stats_daily
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
ORDER BY (site_id, dim, day, value, sub)
SETTINGS index_granularity = 256;

CREATE TABLE IF NOT EXISTS stats_monthly
(
    site_id   LowCardinality(String),
    dim       LowCardinality(String),
    month     Date,
    value     String,
    sub       String,
    visitors  AggregateFunction(uniqCombined(12), UInt64),
    pageviews SimpleAggregateFunction(sum, UInt64),
    events    SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, month, value, sub)
SETTINGS index_granularity = 256;

CREATE MATERIALIZED VIEW IF NOT EXISTS stats_hourly_mv TO stats_hourly AS
SELECT
    site_id,
    d.1 AS dim,
    toStartOfHour(timestamp) AS hour,
    d.2 AS value,
    d.3 AS sub,
    uniqCombinedState(12)(visitor_id) AS visitors,
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

CREATE MATERIALIZED VIEW IF NOT EXISTS stats_daily_mv TO stats_daily AS
SELECT site_id, dim, day, value, sub, v AS visitors, pv AS pageviews, ev AS events
FROM
(
    SELECT site_id, dim, toDate(hour) AS day, value, sub,
           uniqCombinedMergeState(12)(visitors) AS v, sum(pageviews) AS pv, sum(events) AS ev
    FROM stats_hourly
    GROUP BY site_id, dim, day, value, sub
);

CREATE MATERIALIZED VIEW IF NOT EXISTS stats_monthly_mv TO stats_monthly AS
SELECT site_id, dim, month, value, sub, v AS visitors, pv AS pageviews, ev AS events
FROM
(
    SELECT site_id, dim, toStartOfMonth(day) AS month, value, sub,
           uniqCombinedMergeState(12)(visitors) AS v, sum(pageviews) AS pv, sum(events) AS ev
    FROM stats_daily
    GROUP BY site_id, dim, month, value, sub
);
