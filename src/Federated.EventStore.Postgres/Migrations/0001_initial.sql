-- The logical schema shared with SQLite: streams, events in one store-wide order, checkpoints.
-- Runs with search_path set to the store's schema, so names here are unqualified.

CREATE TABLE streams (
    stream_id text   NOT NULL PRIMARY KEY,
    version   bigint NOT NULL -- last event's stream_version
);

CREATE TABLE events (
    global_position bigint NOT NULL PRIMARY KEY, -- 1, 2, 3, ...: assigned by the appender under the chain lock, and hashed
    stream_id       text   NOT NULL REFERENCES streams (stream_id),
    stream_version  bigint NOT NULL,              -- 0-based within the stream
    event_id        uuid   NOT NULL UNIQUE,
    event_type      text   NOT NULL,
    data            bytea  NOT NULL,              -- UTF-8 JSON
    metadata        bytea  NOT NULL,              -- UTF-8 JSON, or empty
    recorded_at     bigint NOT NULL,              -- UTC Unix milliseconds, exactly as hashed
    previous_hash   bytea  NOT NULL,              -- 32 bytes: hash of global_position - 1
    hash            bytea  NOT NULL,              -- 32 bytes: see HashChain
    UNIQUE (stream_id, stream_version)
);

CREATE TABLE checkpoints (
    subscription_id text   NOT NULL PRIMARY KEY,
    position        bigint NOT NULL -- last handled global_position
);
