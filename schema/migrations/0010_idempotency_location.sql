-- A replayed answer must be the answer: a 201 that named its new resource
-- in a Location header names it again when its Idempotency-Key comes back.
-- NULL for answers that carried none (errors, and creations that have no
-- resource of their own to read back).
ALTER TABLE idempotency_keys ADD COLUMN location text;
