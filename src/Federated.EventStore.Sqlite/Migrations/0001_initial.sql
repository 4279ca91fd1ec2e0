-- The logical schema shared with PostgreSQL: streams, events in one store-wide order, checkpoints.
-- STRICT makes SQLite refuse values of the wrong type, as PostgreSQL would.

CREATE TABLE streams (
    stream_id TEXT    NOT NULL PRIMARY KEY,
    version   INTEGER NOT NULL -- last event's stream_version
) STRICT;

CREATE TABLE events (
    global_position INTEGER NOT NULL PRIMARY KEY, -- 1, 2, 3, ...: assigned by the appender, and hashed
    stream_id       TEXT    NOT NULL REFERENCES streams (stream_id),
    stream_version  INTEGER NOT NULL,              -- 0-based within the stream
    event_id        TEXT    NOT NULL UNIQUE,       -- lowercase 8-4-4-4-12 text
    event_type      TEXT    NOT NULL,
    data            BLOB    NOT NULL,              -- UTF-8 JSON
    metadata        BLOB    NOT NULL,              -- UTF-8 JSON, or empty
    recorded_at     INTEGER NOT NULL,              -- UTC Unix milliseconds, exactly as hashed
    previous_hash   BLOB    NOT NULL,              -- 32 bytes: hash of global_position - 1
    hash            BLOB    NOT NULL,              -- 32 bytes: see HashChain
    UNIQUE (stream_id, stream_version)
) STRICT;

CREATE TABLE checkpoints (
    subscription_id TEXT    NOT NULL PRIMARY KEY,
    position        INTEGER NOT NULL -- last handled global_position
) STRICT;
