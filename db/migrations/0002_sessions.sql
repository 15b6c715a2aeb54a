-- Visits, aggregated from events as they are inserted. The worker assigns
-- session ids (a visit ends after 30 minutes without an event) and copies the
-- visit attributes from the first event, so `any` is exact for them.
-- A visit that crosses midnight can have two rows (two session_date values);
-- queries group by session_id, which merges them.
CREATE TABLE IF NOT EXISTS sessions
(
    site_id            LowCardinality(String),
    session_date       Date,
    session_id         UInt64,
    visitor_id         SimpleAggregateFunction(any, UInt64),
    start              SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    end                SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    entry_page         AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    exit_page          AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    pageviews          SimpleAggregateFunction(sum, UInt64),
    events             SimpleAggregateFunction(sum, UInt64),
    interactive_events SimpleAggregateFunction(sum, UInt64),
    engagement_ms      SimpleAggregateFunction(sum, UInt64),
    hostname           SimpleAggregateFunction(any, LowCardinality(String)),
    referrer           SimpleAggregateFunction(any, String),
    referrer_source    SimpleAggregateFunction(any, LowCardinality(String)),
    channel            SimpleAggregateFunction(any, LowCardinality(String)),
    utm_source         SimpleAggregateFunction(any, String),
    utm_medium         SimpleAggregateFunction(any, String),
    utm_campaign       SimpleAggregateFunction(any, String),
    utm_content        SimpleAggregateFunction(any, String),
    utm_term           SimpleAggregateFunction(any, String),
    country_code       SimpleAggregateFunction(any, LowCardinality(String)),
    region             SimpleAggregateFunction(any, LowCardinality(String)),
    city               SimpleAggregateFunction(any, String),
    browser            SimpleAggregateFunction(any, LowCardinality(String)),
    browser_version    SimpleAggregateFunction(any, LowCardinality(String)),
    os                 SimpleAggregateFunction(any, LowCardinality(String)),
    os_version         SimpleAggregateFunction(any, LowCardinality(String)),
    device             SimpleAggregateFunction(any, LowCardinality(String)),
    screen_width       SimpleAggregateFunction(any, UInt16)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(session_date)
ORDER BY (site_id, session_date, session_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS sessions_mv TO sessions AS
SELECT
    site_id,
    toDate(min(timestamp)) AS session_date,
    session_id,
    any(visitor_id) AS visitor_id,
    min(timestamp) AS start,
    max(timestamp) AS end,
    -- Entry/exit pages come from pageviews only; other events sort last/first.
    argMinState(pathname, if(name = 'pageview', timestamp, toDateTime64('2299-12-31 00:00:00', 3, 'UTC'))) AS entry_page,
    argMaxState(pathname, if(name = 'pageview', timestamp, toDateTime64('1970-01-01 00:00:00', 3, 'UTC'))) AS exit_page,
    countIf(name = 'pageview') AS pageviews,
    count() AS events,
    countIf(name != 'pageview' AND name != 'engagement' AND interactive) AS interactive_events,
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
GROUP BY site_id, session_id;
