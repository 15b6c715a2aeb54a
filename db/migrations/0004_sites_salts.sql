-- Registered sites. Ingest rejects events for domains not listed here.
-- ReplacingMergeTree on updated_at: the newest row per domain wins; a
-- deleted site is a row with deleted = 1.
CREATE TABLE IF NOT EXISTS sites
(
    domain     String,
    timezone   String DEFAULT 'UTC',
    public     Bool DEFAULT false,
    owner_id   String DEFAULT '',
    created_at DateTime64(3, 'UTC') DEFAULT now64(3),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3),
    deleted    Bool DEFAULT false
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY domain;

-- Daily salts for cookieless visitor ids. Several web nodes may propose a
-- salt for the same day; every node picks the earliest proposal, so they
-- agree once they see the same rows. Salts older than two days are dropped,
-- so old visitor ids cannot be recomputed.
CREATE TABLE IF NOT EXISTS salts
(
    day        Date,
    salt       String,
    created_at DateTime64(6, 'UTC')
)
ENGINE = MergeTree
ORDER BY (day, created_at)
TTL day + INTERVAL 3 DAY;
