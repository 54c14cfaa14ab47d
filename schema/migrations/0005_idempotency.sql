-- Exactly-once POSTs: a client's Idempotency-Key, the hash of the request it
-- came with and the full response, written in the same transaction as the
-- row the request created.  Keys are per token, so two kiosks may use the
-- same string, and are kept for 7 days (the daemon purges older ones).
CREATE TABLE idempotency_keys (
	token_id bigint NOT NULL REFERENCES api_tokens (id),
	key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
	request_hash bytea NOT NULL CHECK (length(request_hash) = 32),
	status smallint NOT NULL,
	response text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (token_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
