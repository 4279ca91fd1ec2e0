-- events.stream_id no longer references streams: the appender writes a stream's row and its events in
-- the same transaction under the chain-head lock, so the foreign key only re-checked what that lock
-- already guarantees, at the price of one lookup and one row lock per inserted event (measured with
-- bench/Federated.Bench.EventStore: 1000-event batches went from about 25,000 to 35,000-46,000 events/s
-- without it). Integrity of the log itself is the hash chain's job.

ALTER TABLE events DROP CONSTRAINT IF EXISTS events_stream_id_fkey;
