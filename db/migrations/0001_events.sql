-- Raw events: one row per accepted event. Tenant-first sort key so every
-- dashboard query reads one site's contiguous range. Visit attributes
-- (source, UTM, location, device) are copied from the session's first event
-- by the worker, so visit filters work on this table directly.
CREATE TABLE IF NOT EXISTS events
(
    event_id         UUID,
    site_id          LowCardinality(String),
    timestamp        DateTime64(3, 'UTC'),
    name             LowCardinality(String),
    visitor_id       UInt64,
    session_id       UInt64,
    hostname         LowCardinality(String),
    pathname         String,
    referrer         String,
    referrer_source  LowCardinality(String),
    channel          LowCardinality(String),
    utm_source       String,
    utm_medium       String,
    utm_campaign     String,
    utm_content      String,
    utm_term         String,
    country_code     LowCardinality(String),
    region           LowCardinality(String),
    city             String,
    browser          LowCardinality(String),
    browser_version  LowCardinality(String),
    os               LowCardinality(String),
    os_version       LowCardinality(String),
    device           LowCardinality(String),
    screen_width     UInt16,
    props            Map(String, String),
    revenue_amount   Nullable(Decimal(18, 3)),
    revenue_currency LowCardinality(String),
    interactive      Bool,
    engagement_ms    UInt32,
    scroll_depth     UInt8
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (site_id, toDate(timestamp), name, visitor_id, timestamp)
SETTINGS index_granularity = 8192, non_replicated_deduplication_window = 1000;

-- Event ids of the last two days, sorted by time: the worker looks up a
-- batch's ids here before inserting, so a redelivered Kafka message is never
-- stored (or rolled up) twice. Time-first order keeps the lookup to the few
-- most recent granules.
CREATE TABLE IF NOT EXISTS event_ids
(
    timestamp DateTime64(3, 'UTC'),
    event_id  UUID
)
ENGINE = MergeTree
ORDER BY (timestamp, event_id)
TTL toDateTime(timestamp) + INTERVAL 2 DAY
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS event_ids_mv TO event_ids AS
SELECT timestamp, event_id FROM events;
