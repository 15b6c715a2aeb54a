-- Accounts and credentials. Every table is a ReplacingMergeTree on
-- updated_at: the newest row per sort key wins, and removal is a new row with
-- deleted = true. Reads go through argMax(..., updated_at) (db/users.ts,
-- lib/auth/*.ts), so they are exact before background merges happen.

-- One row per account. The email is the sort key, so two nodes creating the
-- same account converge on one row.
CREATE TABLE IF NOT EXISTS users
(
    email         String,
    id            String,
    password_hash String,
    role          LowCardinality(String) DEFAULT 'member',
    created_at    DateTime64(3, 'UTC') DEFAULT now64(3),
    updated_at    DateTime64(3, 'UTC') DEFAULT now64(3),
    deleted       Bool DEFAULT false
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY email;

-- Per-user API keys, stored as the sha256 of the key (keys are 32 random
-- bytes, so a fast hash is enough). The plain key is shown once.
CREATE TABLE IF NOT EXISTS api_keys
(
    key_hash   String,
    id         String,
    user_id    String,
    name       String,
    prefix     String,
    created_at DateTime64(3, 'UTC') DEFAULT now64(3),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3),
    deleted    Bool DEFAULT false
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key_hash;

-- Read-only share links, one site each. The token is kept in clear so the
-- owner can copy the link again; revoking writes deleted = true.
CREATE TABLE IF NOT EXISTS share_links
(
    token      String,
    id         String,
    site_id    String,
    created_by String,
    created_at DateTime64(3, 'UTC') DEFAULT now64(3),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3),
    deleted    Bool DEFAULT false
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY token;

-- Conversion goals per site: a custom event name, or a pageview path pattern
-- (`*` within a segment, `**` across segments). Read by db/goals.ts.
CREATE TABLE IF NOT EXISTS goals
(
    site_id    String,
    id         String,
    kind       LowCardinality(String),
    event_name String,
    page_path  String,
    created_at DateTime64(3, 'UTC') DEFAULT now64(3),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3),
    deleted    Bool DEFAULT false
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (site_id, id);

-- Secrets shared by every web node (the session signing key when
-- SESSION_SECRET is not set). Nodes that race to create one all pick the
-- earliest row, like the salts table.
CREATE TABLE IF NOT EXISTS auth_secrets
(
    name       String,
    value      String,
    created_at DateTime64(6, 'UTC')
)
ENGINE = MergeTree
ORDER BY (name, created_at);
