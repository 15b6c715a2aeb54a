-- Full current schema, generated from db/migrations by `npm run schema`. Do not edit.

CREATE TABLE api_keys
(
    `key_hash` String,
    `id` String,
    `user_id` String,
    `name` String,
    `prefix` String,
    `created_at` DateTime64(3, 'UTC') DEFAULT now64(3),
    `updated_at` DateTime64(3, 'UTC') DEFAULT now64(3),
    `deleted` Bool DEFAULT false
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key_hash
SETTINGS index_granularity = 8192;

CREATE TABLE auth_secrets
(
    `name` String,
    `value` String,
    `created_at` DateTime64(6, 'UTC')
)
ENGINE = MergeTree
ORDER BY (name, created_at)
SETTINGS index_granularity = 8192;

CREATE TABLE event_ids
(
    `timestamp` DateTime64(3, 'UTC'),
    `event_id` UUID
)
ENGINE = MergeTree
ORDER BY (timestamp, event_id)
TTL toDateTime(timestamp) + toIntervalDay(2)
SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 8192;

CREATE TABLE events
(
    `event_id` UUID,
    `site_id` LowCardinality(String),
    `timestamp` DateTime64(3, 'UTC'),
    `name` LowCardinality(String),
    `visitor_id` UInt64,
    `session_id` UInt64,
    `hostname` LowCardinality(String),
    `pathname` String,
    `referrer` String,
    `referrer_source` LowCardinality(String),
    `channel` LowCardinality(String),
    `utm_source` String,
    `utm_medium` String,
    `utm_campaign` String,
    `utm_content` String,
    `utm_term` String,
    `country_code` LowCardinality(String),
    `region` LowCardinality(String),
    `city` String,
    `browser` LowCardinality(String),
    `browser_version` LowCardinality(String),
    `os` LowCardinality(String),
    `os_version` LowCardinality(String),
    `device` LowCardinality(String),
    `screen_width` UInt16,
    `props` Map(String, String),
    `revenue_amount` Nullable(Decimal(18, 3)),
    `revenue_currency` LowCardinality(String),
    `interactive` Bool,
    `engagement_ms` UInt32,
    `scroll_depth` UInt8
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (site_id, toDate(timestamp), name, visitor_id, timestamp)
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000;

CREATE TABLE goals
(
    `site_id` String,
    `id` String,
    `kind` LowCardinality(String),
    `event_name` String,
    `page_path` String,
    `created_at` DateTime64(3, 'UTC') DEFAULT now64(3),
    `updated_at` DateTime64(3, 'UTC') DEFAULT now64(3),
    `deleted` Bool DEFAULT false
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (site_id, id)
SETTINGS index_granularity = 8192;

CREATE TABLE salts
(
    `day` Date,
    `salt` String,
    `created_at` DateTime64(6, 'UTC')
)
ENGINE = MergeTree
ORDER BY (day, created_at)
TTL day + toIntervalDay(3)
SETTINGS index_granularity = 8192;

CREATE TABLE sessions
(
    `site_id` LowCardinality(String),
    `session_date` Date,
    `session_id` UInt64,
    `visitor_id` SimpleAggregateFunction(any, UInt64),
    `start` SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    `end` SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    `entry_page` AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    `exit_page` AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `events` SimpleAggregateFunction(sum, UInt64),
    `interactive_events` SimpleAggregateFunction(sum, UInt64),
    `engagement_ms` SimpleAggregateFunction(sum, UInt64),
    `hostname` SimpleAggregateFunction(any, LowCardinality(String)),
    `referrer` SimpleAggregateFunction(any, String),
    `referrer_source` SimpleAggregateFunction(any, LowCardinality(String)),
    `channel` SimpleAggregateFunction(any, LowCardinality(String)),
    `utm_source` SimpleAggregateFunction(any, String),
    `utm_medium` SimpleAggregateFunction(any, String),
    `utm_campaign` SimpleAggregateFunction(any, String),
    `utm_content` SimpleAggregateFunction(any, String),
    `utm_term` SimpleAggregateFunction(any, String),
    `country_code` SimpleAggregateFunction(any, LowCardinality(String)),
    `region` SimpleAggregateFunction(any, LowCardinality(String)),
    `city` SimpleAggregateFunction(any, String),
    `browser` SimpleAggregateFunction(any, LowCardinality(String)),
    `browser_version` SimpleAggregateFunction(any, LowCardinality(String)),
    `os` SimpleAggregateFunction(any, LowCardinality(String)),
    `os_version` SimpleAggregateFunction(any, LowCardinality(String)),
    `device` SimpleAggregateFunction(any, LowCardinality(String)),
    `screen_width` SimpleAggregateFunction(any, UInt16)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(session_date)
ORDER BY (site_id, session_date, session_id)
SETTINGS index_granularity = 8192;

CREATE TABLE share_links
(
    `token` String,
    `id` String,
    `site_id` String,
    `created_by` String,
    `created_at` DateTime64(3, 'UTC') DEFAULT now64(3),
    `updated_at` DateTime64(3, 'UTC') DEFAULT now64(3),
    `deleted` Bool DEFAULT false
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY token
SETTINGS index_granularity = 8192;

CREATE TABLE site_stats_minute
(
    `site_id` LowCardinality(String),
    `minute` DateTime('UTC'),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `events` SimpleAggregateFunction(sum, UInt64),
    `visitors` AggregateFunction(uniq, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, minute)
TTL minute + toIntervalDay(2)
SETTINGS index_granularity = 8192;

CREATE TABLE sites
(
    `domain` String,
    `timezone` String DEFAULT 'UTC',
    `public` Bool DEFAULT false,
    `owner_id` String DEFAULT '',
    `created_at` DateTime64(3, 'UTC') DEFAULT now64(3),
    `updated_at` DateTime64(3, 'UTC') DEFAULT now64(3),
    `deleted` Bool DEFAULT false
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY domain
SETTINGS index_granularity = 8192;

CREATE TABLE stats_closed_daily
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `day` Date,
    `value` String,
    `sub` String,
    `visitors` UInt64,
    `pageviews` UInt64,
    `events` UInt64
)
ENGINE = MergeTree
PARTITION BY toYear(day)
ORDER BY (site_id, dim, day, value, sub)
SETTINGS index_granularity = 256;

CREATE TABLE stats_closed_monthly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `month` Date,
    `value` String,
    `sub` String,
    `visitors` SimpleAggregateFunction(sum, UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `events` SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, month, value, sub)
SETTINGS index_granularity = 256;

CREATE TABLE stats_closed_weekly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `week` Date,
    `value` String,
    `sub` String,
    `visitors` SimpleAggregateFunction(sum, UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `events` SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(week)
ORDER BY (site_id, dim, week, value, sub)
SETTINGS index_granularity = 256;

CREATE TABLE stats_daily
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `day` Date,
    `value` String,
    `sub` String,
    `visitors` AggregateFunction(uniqCombined(12), UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `events` SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (site_id, day, dim, value, sub)
SETTINGS index_granularity = 256;

CREATE TABLE stats_hourly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `hour` DateTime('UTC'),
    `value` String,
    `sub` String,
    `visitors` AggregateFunction(uniqCombined(12), UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `events` SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, dim, hour, value, sub)
SETTINGS index_granularity = 256;

CREATE TABLE stats_monthly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `month` Date,
    `value` String,
    `sub` String,
    `visitors` AggregateFunction(uniqCombined(12), UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `events` SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, month, value, sub)
SETTINGS index_granularity = 256;

CREATE TABLE stats_weekly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `week` Date,
    `value` String,
    `sub` String,
    `visitors` AggregateFunction(uniqCombined(12), UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `events` SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(week)
ORDER BY (site_id, dim, week, value, sub)
SETTINGS index_granularity = 256;

CREATE TABLE users
(
    `email` String,
    `id` String,
    `password_hash` String,
    `role` LowCardinality(String) DEFAULT 'member',
    `created_at` DateTime64(3, 'UTC') DEFAULT now64(3),
    `updated_at` DateTime64(3, 'UTC') DEFAULT now64(3),
    `deleted` Bool DEFAULT false
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY email
SETTINGS index_granularity = 8192;

CREATE TABLE visit_stats_closed_daily
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `day` Date,
    `value` String,
    `visits` UInt64,
    `bounces` UInt64,
    `duration_ms` UInt64,
    `pageviews` UInt64,
    `visitors` UInt64
)
ENGINE = MergeTree
ORDER BY (site_id, dim, day, value)
SETTINGS index_granularity = 256;

CREATE TABLE visit_stats_closed_monthly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `month` Date,
    `value` String,
    `visits` SimpleAggregateFunction(sum, UInt64),
    `bounces` SimpleAggregateFunction(sum, UInt64),
    `duration_ms` SimpleAggregateFunction(sum, UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `visitors` SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, month, value)
SETTINGS index_granularity = 256;

CREATE TABLE visit_stats_closed_weekly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `week` Date,
    `value` String,
    `visits` SimpleAggregateFunction(sum, UInt64),
    `bounces` SimpleAggregateFunction(sum, UInt64),
    `duration_ms` SimpleAggregateFunction(sum, UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `visitors` SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, week, value)
SETTINGS index_granularity = 256;

CREATE TABLE visit_stats_daily
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `day` Date,
    `value` String,
    `visits` SimpleAggregateFunction(sum, UInt64),
    `bounces` SimpleAggregateFunction(sum, UInt64),
    `duration_ms` SimpleAggregateFunction(sum, UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `visitors` AggregateFunction(uniqCombined(12), UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, day, value)
SETTINGS index_granularity = 256;

CREATE TABLE visit_stats_hourly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `hour` DateTime('UTC'),
    `value` String,
    `visits` SimpleAggregateFunction(sum, UInt64),
    `bounces` SimpleAggregateFunction(sum, UInt64),
    `duration_ms` SimpleAggregateFunction(sum, UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `visitors` AggregateFunction(uniqCombined(12), UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, hour, value)
SETTINGS index_granularity = 256;

CREATE TABLE visit_stats_monthly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `month` Date,
    `value` String,
    `visits` SimpleAggregateFunction(sum, UInt64),
    `bounces` SimpleAggregateFunction(sum, UInt64),
    `duration_ms` SimpleAggregateFunction(sum, UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `visitors` AggregateFunction(uniqCombined(12), UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, month, value)
SETTINGS index_granularity = 256;

CREATE TABLE visit_stats_weekly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `week` Date,
    `value` String,
    `visits` SimpleAggregateFunction(sum, UInt64),
    `bounces` SimpleAggregateFunction(sum, UInt64),
    `duration_ms` SimpleAggregateFunction(sum, UInt64),
    `pageviews` SimpleAggregateFunction(sum, UInt64),
    `visitors` AggregateFunction(uniqCombined(12), UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, week, value)
SETTINGS index_granularity = 256;

CREATE MATERIALIZED VIEW event_ids_mv TO event_ids
(
    `timestamp` DateTime64(3, 'UTC'),
    `event_id` UUID
)
AS SELECT
    timestamp,
    event_id
FROM events;

CREATE MATERIALIZED VIEW sessions_mv TO sessions
(
    `site_id` LowCardinality(String),
    `session_date` Date,
    `session_id` UInt64,
    `visitor_id` UInt64,
    `start` DateTime64(3, 'UTC'),
    `end` DateTime64(3, 'UTC'),
    `entry_page` AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    `exit_page` AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    `pageviews` UInt64,
    `events` UInt64,
    `interactive_events` UInt64,
    `engagement_ms` UInt64,
    `hostname` String,
    `referrer` String,
    `referrer_source` String,
    `channel` String,
    `utm_source` String,
    `utm_medium` String,
    `utm_campaign` String,
    `utm_content` String,
    `utm_term` String,
    `country_code` String,
    `region` String,
    `city` String,
    `browser` String,
    `browser_version` String,
    `os` String,
    `os_version` String,
    `device` String,
    `screen_width` UInt16
)
AS SELECT
    site_id,
    toDate(min(timestamp)) AS session_date,
    session_id,
    any(visitor_id) AS visitor_id,
    min(timestamp) AS start,
    max(timestamp) AS end,
    argMinState(pathname, if(name = 'pageview', timestamp, toDateTime64('2299-12-31 00:00:00', 3, 'UTC'))) AS entry_page,
    argMaxState(pathname, if(name = 'pageview', timestamp, toDateTime64('1970-01-01 00:00:00', 3, 'UTC'))) AS exit_page,
    countIf(name = 'pageview') AS pageviews,
    count() AS events,
    countIf((name != 'pageview') AND (name != 'engagement') AND interactive) AS interactive_events,
    sum(engagement_ms) AS engagement_ms,
    any(hostname) AS hostname,
    any(referrer) AS referrer,
    any(referrer_source) AS referrer_source,
    any(channel) AS channel,
    any(utm_source) AS utm_source,
    any(utm_medium) AS utm_medium,
    any(utm_campaign) AS utm_campaign,
    any(utm_content) AS utm_content,
    any(utm_term) AS utm_term,
    any(country_code) AS country_code,
    any(region) AS region,
    any(city) AS city,
    any(browser) AS browser,
    any(browser_version) AS browser_version,
    any(os) AS os,
    any(os_version) AS os_version,
    any(device) AS device,
    any(screen_width) AS screen_width
FROM events
GROUP BY
    site_id,
    session_id;

CREATE MATERIALIZED VIEW site_stats_minute_mv TO site_stats_minute
(
    `site_id` LowCardinality(String),
    `minute` DateTime('UTC'),
    `pageviews` UInt64,
    `events` UInt64,
    `visitors` AggregateFunction(uniq, UInt64)
)
AS SELECT
    site_id,
    toStartOfMinute(timestamp) AS minute,
    countIf(name = 'pageview') AS pageviews,
    countIf(name != 'engagement') AS events,
    uniqState(visitor_id) AS visitors
FROM events
GROUP BY
    site_id,
    minute;

CREATE MATERIALIZED VIEW stats_closed_monthly_mv TO stats_closed_monthly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `month` Date,
    `value` String,
    `sub` String,
    `visitors` UInt64,
    `pageviews` UInt64,
    `events` UInt64
)
AS SELECT
    site_id,
    dim,
    toStartOfMonth(day) AS month,
    value,
    sub,
    sum(visitors) AS visitors,
    sum(pageviews) AS pageviews,
    sum(events) AS events
FROM stats_closed_daily
WHERE dim != '#done'
GROUP BY
    site_id,
    dim,
    month,
    value,
    sub;

CREATE MATERIALIZED VIEW stats_closed_refresh
REFRESH EVERY 10 MINUTE APPEND TO stats_closed_daily
(
    `site_id` String,
    `dim` String,
    `day` Nullable(Date),
    `value` String,
    `sub` String,
    `visitors` UInt64,
    `pageviews` UInt64,
    `events` UInt64
)
DEFINER = default SQL SECURITY DEFINER
AS WITH
    (
        SELECT max(day)
        FROM stats_closed_daily
        WHERE (site_id = '') AND (dim = '#done')
    ) AS lo,
    least(now64(3), (
        SELECT max(timestamp)
        FROM events
    )) AS newest,
    greatest(lo, if(newest < toDateTime64('1970-01-03 00:00:00', 3, 'UTC'), lo, toDate(newest - toIntervalHour(1)))) AS hi
SELECT
    site_id,
    dim,
    day,
    value,
    sub,
    visitors,
    pageviews,
    events
FROM
(
    SELECT
        site_id,
        dim,
        day,
        value,
        sub,
        uniqCombinedMerge(12)(stats_daily.visitors) AS visitors,
        sum(stats_daily.pageviews) AS pageviews,
        sum(stats_daily.events) AS events
    FROM stats_daily
    WHERE (day >= lo) AND (day < hi)
    GROUP BY
        site_id,
        dim,
        day,
        value,
        sub
    UNION ALL
    SELECT
        '' AS site_id,
        '#done' AS dim,
        hi AS day,
        '' AS value,
        '' AS sub,
        toUInt64(0) AS visitors,
        toUInt64(0) AS pageviews,
        toUInt64(0) AS events
)
SETTINGS max_threads = 1, max_insert_threads = 1, min_insert_block_size_rows = 1000000000000, min_insert_block_size_bytes = 1000000000000, min_insert_block_size_rows_for_materialized_views = 1000000000000, min_insert_block_size_bytes_for_materialized_views = 1000000000000;

CREATE MATERIALIZED VIEW stats_closed_weekly_mv TO stats_closed_weekly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `week` Date,
    `value` String,
    `sub` String,
    `visitors` UInt64,
    `pageviews` UInt64,
    `events` UInt64
)
AS SELECT
    site_id,
    dim,
    toMonday(day) AS week,
    value,
    sub,
    sum(visitors) AS visitors,
    sum(pageviews) AS pageviews,
    sum(events) AS events
FROM stats_closed_daily
WHERE dim != '#done'
GROUP BY
    site_id,
    dim,
    week,
    value,
    sub;

CREATE MATERIALIZED VIEW stats_daily_mv TO stats_daily
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `day` Date,
    `value` String,
    `sub` String,
    `visitors` AggregateFunction(uniqCombined(12), UInt64),
    `pageviews` UInt64,
    `events` UInt64
)
AS SELECT
    site_id,
    dim,
    day,
    value,
    sub,
    v AS visitors,
    pv AS pageviews,
    ev AS events
FROM
(
    SELECT
        site_id,
        dim,
        toDate(hour) AS day,
        value,
        sub,
        uniqCombinedMergeState(12)(visitors) AS v,
        sum(pageviews) AS pv,
        sum(events) AS ev
    FROM stats_hourly
    GROUP BY
        site_id,
        dim,
        day,
        value,
        sub
);

CREATE MATERIALIZED VIEW stats_hourly_mv TO stats_hourly
(
    `site_id` LowCardinality(String),
    `dim` String,
    `hour` DateTime('UTC'),
    `value` String,
    `sub` String,
    `visitors` AggregateFunction(uniqCombined(12), UInt64),
    `pageviews` UInt64,
    `events` UInt64
)
AS SELECT
    site_id,
    d.1 AS dim,
    toStartOfHour(timestamp) AS hour,
    d.2 AS value,
    d.3 AS sub,
    uniqCombinedState(12)(sipHash64(visitor_id, toDate(timestamp))) AS visitors,
    countIf(name = 'pageview') AS pageviews,
    count() AS events
FROM events
ARRAY JOIN arrayConcat([('', '', ''), ('page', pathname, ''), ('hostname', toString(hostname), ''), ('name', toString(name), ''), ('source', toString(referrer_source), ''), ('referrer', referrer, ''), ('channel', toString(channel), ''), ('utm_medium', utm_medium, ''), ('utm_source', utm_source, ''), ('utm_campaign', utm_campaign, ''), ('utm_content', utm_content, ''), ('utm_term', utm_term, ''), ('device', toString(device), ''), ('browser', toString(browser), ''), ('browser_version', toString(browser), toString(browser_version)), ('os', toString(os), ''), ('os_version', toString(os), toString(os_version)), ('country', toString(country_code), ''), ('region', toString(region), ''), ('city', city, '')], if(name = 'pageview', [('pageview_page', pathname, '')], [])) AS d
WHERE name != 'engagement'
GROUP BY
    site_id,
    dim,
    hour,
    value,
    sub;

CREATE MATERIALIZED VIEW stats_monthly_mv TO stats_monthly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `month` Date,
    `value` String,
    `sub` String,
    `visitors` AggregateFunction(uniqCombined(12), UInt64),
    `pageviews` UInt64,
    `events` UInt64
)
AS SELECT
    site_id,
    dim,
    month,
    value,
    sub,
    v AS visitors,
    pv AS pageviews,
    ev AS events
FROM
(
    SELECT
        site_id,
        dim,
        toStartOfMonth(day) AS month,
        value,
        sub,
        uniqCombinedMergeState(12)(visitors) AS v,
        sum(pageviews) AS pv,
        sum(events) AS ev
    FROM stats_daily
    GROUP BY
        site_id,
        dim,
        month,
        value,
        sub
);

CREATE MATERIALIZED VIEW stats_weekly_mv TO stats_weekly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `week` Date,
    `value` String,
    `sub` String,
    `visitors` AggregateFunction(uniqCombined(12), UInt64),
    `pageviews` UInt64,
    `events` UInt64
)
AS SELECT
    site_id,
    dim,
    week,
    value,
    sub,
    v AS visitors,
    pv AS pageviews,
    ev AS events
FROM
(
    SELECT
        site_id,
        dim,
        toMonday(day) AS week,
        value,
        sub,
        uniqCombinedMergeState(12)(visitors) AS v,
        sum(pageviews) AS pv,
        sum(events) AS ev
    FROM stats_daily
    GROUP BY
        site_id,
        dim,
        week,
        value,
        sub
);

CREATE MATERIALIZED VIEW visit_stats_closed_monthly_mv TO visit_stats_closed_monthly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `month` Date,
    `value` String,
    `visits` UInt64,
    `bounces` UInt64,
    `duration_ms` UInt64,
    `pageviews` UInt64,
    `visitors` UInt64
)
AS SELECT
    site_id,
    dim,
    toStartOfMonth(day) AS month,
    value,
    sum(visits) AS visits,
    sum(bounces) AS bounces,
    sum(duration_ms) AS duration_ms,
    sum(pageviews) AS pageviews,
    sum(visitors) AS visitors
FROM visit_stats_closed_daily
WHERE dim != '#done'
GROUP BY
    site_id,
    dim,
    month,
    value;

CREATE MATERIALIZED VIEW visit_stats_closed_refresh
REFRESH EVERY 10 MINUTE APPEND TO visit_stats_closed_daily
(
    `site_id` String,
    `dim` String,
    `day` Nullable(Date),
    `value` String,
    `visits` UInt64,
    `bounces` UInt64,
    `duration_ms` UInt64,
    `pageviews` UInt64,
    `visitors` UInt64
)
DEFINER = default SQL SECURITY DEFINER
AS WITH
    (
        SELECT max(day)
        FROM visit_stats_closed_daily
        WHERE (site_id = '') AND (dim = '#done')
    ) AS lo,
    greatest(lo, (
        SELECT toDate(max(toDateTime(value, 'UTC')))
        FROM visit_stats_daily
        WHERE (site_id = '') AND (dim = '#done')
    )) AS hi
SELECT
    site_id,
    dim,
    day,
    value,
    visits,
    bounces,
    duration_ms,
    pageviews,
    visitors
FROM
(
    SELECT
        site_id,
        dim,
        day,
        value,
        sum(visit_stats_daily.visits) AS visits,
        sum(visit_stats_daily.bounces) AS bounces,
        sum(visit_stats_daily.duration_ms) AS duration_ms,
        sum(visit_stats_daily.pageviews) AS pageviews,
        uniqCombinedMerge(12)(visit_stats_daily.visitors) AS visitors
    FROM visit_stats_daily
    WHERE (day >= lo) AND (day < hi) AND (dim != '#done')
    GROUP BY
        site_id,
        dim,
        day,
        value
    UNION ALL
    SELECT
        '' AS site_id,
        '#done' AS dim,
        hi AS day,
        '' AS value,
        toUInt64(0) AS visits,
        toUInt64(0) AS bounces,
        toUInt64(0) AS duration_ms,
        toUInt64(0) AS pageviews,
        toUInt64(0) AS visitors
)
SETTINGS max_threads = 1, max_insert_threads = 1, min_insert_block_size_rows = 1000000000000, min_insert_block_size_bytes = 1000000000000, min_insert_block_size_rows_for_materialized_views = 1000000000000, min_insert_block_size_bytes_for_materialized_views = 1000000000000;

CREATE MATERIALIZED VIEW visit_stats_closed_weekly_mv TO visit_stats_closed_weekly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `week` Date,
    `value` String,
    `visits` UInt64,
    `bounces` UInt64,
    `duration_ms` UInt64,
    `pageviews` UInt64,
    `visitors` UInt64
)
AS SELECT
    site_id,
    dim,
    toMonday(day) AS week,
    value,
    sum(visits) AS visits,
    sum(bounces) AS bounces,
    sum(duration_ms) AS duration_ms,
    sum(pageviews) AS pageviews,
    sum(visitors) AS visitors
FROM visit_stats_closed_daily
WHERE dim != '#done'
GROUP BY
    site_id,
    dim,
    week,
    value;

CREATE MATERIALIZED VIEW visit_stats_daily_mv TO visit_stats_daily
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `day` Date,
    `value` String,
    `visits` UInt64,
    `bounces` UInt64,
    `duration_ms` UInt64,
    `pageviews` UInt64,
    `visitors` AggregateFunction(uniqCombined(12), UInt64)
)
AS SELECT
    site_id,
    dim,
    day,
    val AS value,
    vi AS visits,
    bo AS bounces,
    du AS duration_ms,
    pv AS pageviews,
    vs AS visitors
FROM
(
    SELECT
        site_id,
        dim,
        toDate(hour) AS day,
        if(dim = '#done', toString(hour), value) AS val,
        sum(visits) AS vi,
        sum(bounces) AS bo,
        sum(duration_ms) AS du,
        sum(pageviews) AS pv,
        uniqCombinedMergeState(12)(visitors) AS vs
    FROM visit_stats_hourly
    GROUP BY
        site_id,
        dim,
        day,
        val
);

CREATE MATERIALIZED VIEW visit_stats_monthly_mv TO visit_stats_monthly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `month` Date,
    `value` String,
    `visits` UInt64,
    `bounces` UInt64,
    `duration_ms` UInt64,
    `pageviews` UInt64,
    `visitors` AggregateFunction(uniqCombined(12), UInt64)
)
AS SELECT
    site_id,
    dim,
    month,
    val AS value,
    vi AS visits,
    bo AS bounces,
    du AS duration_ms,
    pv AS pageviews,
    vs AS visitors
FROM
(
    SELECT
        site_id,
        dim,
        toStartOfMonth(day) AS month,
        value AS val,
        sum(visits) AS vi,
        sum(bounces) AS bo,
        sum(duration_ms) AS du,
        sum(pageviews) AS pv,
        uniqCombinedMergeState(12)(visitors) AS vs
    FROM visit_stats_daily
    GROUP BY
        site_id,
        dim,
        month,
        val
);

CREATE MATERIALIZED VIEW visit_stats_refresh
REFRESH EVERY 10 MINUTE APPEND TO visit_stats_hourly
(
    `site_id` String,
    `dim` String,
    `hour` Nullable(DateTime('UTC')),
    `value` String,
    `visits` UInt64,
    `bounces` UInt64,
    `duration_ms` UInt64,
    `pageviews` UInt64,
    `visitors` AggregateFunction(uniqCombined(12), UInt64)
)
DEFINER = default SQL SECURITY DEFINER
AS WITH
    (
        SELECT max(hour)
        FROM visit_stats_hourly
        WHERE (site_id = '') AND (dim = '#done')
    ) AS lo,
    least(now64(3), (
        SELECT max(timestamp)
        FROM events
    )) AS newest,
    (
        SELECT minOrNull(s_start)
        FROM
        (
            SELECT
                min(start) AS s_start,
                max(end) AS s_end
            FROM sessions
            WHERE session_date >= (toDate(newest - toIntervalDay(1)) - 1)
            GROUP BY
                site_id,
                session_id
            HAVING s_end > (newest - toIntervalMinute(30))
        )
    ) AS open_from,
    greatest(newest - toIntervalDay(1), least(newest - toIntervalHour(1), ifNull(open_from, newest))) AS settled,
    greatest(lo, if(newest < toDateTime64('1970-01-03 00:00:00', 3, 'UTC'), lo, toStartOfHour(toDateTime(settled, 'UTC')))) AS hi
SELECT
    site_id,
    dim,
    hour,
    value,
    visits,
    bounces,
    duration_ms,
    pageviews,
    visitors
FROM
(
    SELECT
        site_id,
        d.1 AS dim,
        toStartOfHour(toDateTime(s_start, 'UTC')) AS hour,
        d.2 AS value,
        count() AS visits,
        countIf((s_pageviews = 1) AND (s_interactive = 0)) AS bounces,
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
        WHERE (session_date >= toDate(lo)) AND (session_date <= (toDate(hi) + 1))
        GROUP BY
            site_id,
            session_id
        HAVING (s_start >= lo) AND (s_start < hi)
    )
    ARRAY JOIN [('', ''), ('entry_page', s_entry), ('exit_page', s_exit)] AS d
    GROUP BY
        site_id,
        dim,
        hour,
        value
    UNION ALL
    SELECT
        '' AS site_id,
        '#done' AS dim,
        hi AS hour,
        '' AS value,
        0 AS visits,
        0 AS bounces,
        0 AS duration_ms,
        0 AS pageviews,
        uniqCombinedState(12)(toUInt64(number)) AS visitors
    FROM numbers(0)
)
SETTINGS max_threads = 1, max_insert_threads = 1, min_insert_block_size_rows = 1000000000000, min_insert_block_size_bytes = 1000000000000, min_insert_block_size_rows_for_materialized_views = 1000000000000, min_insert_block_size_bytes_for_materialized_views = 1000000000000;

CREATE MATERIALIZED VIEW visit_stats_weekly_mv TO visit_stats_weekly
(
    `site_id` LowCardinality(String),
    `dim` LowCardinality(String),
    `week` Date,
    `value` String,
    `visits` UInt64,
    `bounces` UInt64,
    `duration_ms` UInt64,
    `pageviews` UInt64,
    `visitors` AggregateFunction(uniqCombined(12), UInt64)
)
AS SELECT
    site_id,
    dim,
    week,
    val AS value,
    vi AS visits,
    bo AS bounces,
    du AS duration_ms,
    pv AS pageviews,
    vs AS visitors
FROM
(
    SELECT
        site_id,
        dim,
        toMonday(day) AS week,
        value AS val,
        sum(visits) AS vi,
        sum(bounces) AS bo,
        sum(duration_ms) AS du,
        sum(pageviews) AS pv,
        uniqCombinedMergeState(12)(visitors) AS vs
    FROM visit_stats_daily
    GROUP BY
        site_id,
        dim,
        week,
        val
);
