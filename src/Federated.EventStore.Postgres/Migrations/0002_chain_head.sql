-- The end of the hash chain in one row. Every append locks it (SELECT ... FOR UPDATE) before reading
-- anything, so appenders in every process take turns: positions stay contiguous (no SEQUENCE, whose
-- values are lost on rollback) and each event chains from the hash committed just before it.

CREATE TABLE chain_head (
    id       boolean NOT NULL PRIMARY KEY DEFAULT true CHECK (id), -- at most one row
    position bigint  NOT NULL,                                     -- global_position of the last event, 0 when empty
    hash     bytea   NOT NULL                                      -- its hash; 32 zero bytes (genesis) when empty
);

-- A store migrated from an older layout starts the chain where its events end.
INSERT INTO chain_head (id, position, hash)
SELECT true,
       COALESCE((SELECT global_position FROM events ORDER BY global_position DESC LIMIT 1), 0),
       COALESCE((SELECT hash FROM events ORDER BY global_position DESC LIMIT 1), decode(repeat('00', 32), 'hex'));
