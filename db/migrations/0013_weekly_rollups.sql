-- Weekly level for the event and visit rollups (see db/stats/README.md): a
-- 30-day period reads ~4 weekly rows per value plus a few days instead of
-- ~30 daily ones. Weeks run Monday to Monday, UTC. Both cascade from their
-- daily tables (the visit one with its `#done` marker, kept exact in
-- `value`), and start with what the daily tables already hold.
CREATE TABLE IF NOT EXISTS stats_weekly
(
    site_id   LowCardinality(String),
    dim       LowCardinality(String),
    week      Date,
    value     String,
    sub       String,
    visitors  AggregateFunction(uniqCombined(12), UInt64),
    pageviews SimpleAggregateFunction(sum, UInt64),
    events    SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(week)
ORDER BY (site_id, dim, week, value, sub)
SETTINGS index_granularity = 256;

CREATE MATERIALIZED VIEW IF NOT EXISTS stats_weekly_mv TO stats_weekly AS
SELECT site_id, dim, week, value, sub, v AS visitors, pv AS pageviews, ev AS events
FROM
(
    SELECT site_id, dim, toMonday(day) AS week, value, sub,
           uniqCombinedMergeState(12)(visitors) AS v, sum(pageviews) AS pv, sum(events) AS ev
    FROM stats_daily
    GROUP BY site_id, dim, week, value, sub
);

INSERT INTO stats_weekly
SELECT site_id, dim, week, value, sub, v, pv, ev
FROM
(
    SELECT site_id, dim, toMonday(day) AS week, value, sub,
           uniqCombinedMergeState(12)(visitors) AS v, sum(pageviews) AS pv, sum(events) AS ev
    FROM stats_daily
    GROUP BY site_id, dim, week, value, sub
);

CREATE TABLE IF NOT EXISTS visit_stats_weekly
(
    site_id     LowCardinality(String),
    dim         LowCardinality(String),
    week        Date,
    value       String,
    visits      SimpleAggregateFunction(sum, UInt64),
    bounces     SimpleAggregateFunction(sum, UInt64),
    duration_ms SimpleAggregateFunction(sum, UInt64),
    pageviews   SimpleAggregateFunction(sum, UInt64),
    visitors    AggregateFunction(uniqCombined(12), UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (site_id, dim, week, value)
SETTINGS index_granularity = 256;

CREATE MATERIALIZED VIEW IF NOT EXISTS visit_stats_weekly_mv TO visit_stats_weekly AS
SELECT site_id, dim, week, val AS value, vi AS visits, bo AS bounces, du AS duration_ms, pv AS pageviews, vs AS visitors
FROM
(
    SELECT site_id, dim, toMonday(day) AS week, value AS val,
           sum(visits) AS vi, sum(bounces) AS bo, sum(duration_ms) AS du, sum(pageviews) AS pv,
           uniqCombinedMergeState(12)(visitors) AS vs
    FROM visit_stats_daily
    GROUP BY site_id, dim, week, val
);

INSERT INTO visit_stats_weekly
SELECT site_id, dim, week, val, vi, bo, du, pv, vs
FROM
(
    SELECT site_id, dim, toMonday(day) AS week, value AS val,
           sum(visits) AS vi, sum(bounces) AS bo, sum(duration_ms) AS du, sum(pageviews) AS pv,
           uniqCombinedMergeState(12)(visitors) AS vs
    FROM visit_stats_daily
    GROUP BY site_id, dim, week, val
);
