-- Per-minute counts for the last two days: a web node that starts late
-- rebuilds its live view (last 30 minutes) from here.
CREATE TABLE IF NOT EXISTS site_stats_minute
(
    site_id   LowCardinality(String),
    minute    DateTime('UTC'),
    pageviews SimpleAggregateFunction(sum, UInt64),
    events    SimpleAggregateFunction(sum, UInt64),
    visitors  AggregateFunction(uniq, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, minute)
TTL minute + INTERVAL 2 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS site_stats_minute_mv TO site_stats_minute AS
SELECT
    site_id,
    toStartOfMinute(timestamp) AS minute,
    countIf(name = 'pageview') AS pageviews,
    countIf(name != 'engagement') AS events,
    uniqState(visitor_id) AS visitors
FROM events
GROUP BY site_id, minute;
