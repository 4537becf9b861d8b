/**
 * The PostgreSQL schema, as versioned migrations applied in order at start (`migrate.ts`). A
 * released migration is never edited: a change of schema is a new entry at the end.
 */
export interface Migration {
	version: number;
	name: string;
	sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		name: 'initial schema',
		sql: `
CREATE TABLE meta (
	key text PRIMARY KEY,
	value text NOT NULL
);

-- Health fields (enabled, disabled_reason, failing_since) are columns of their own, written by
-- narrow updates; everything an admin edits is in config, merged key by key on PATCH.
CREATE TABLE webhooks (
	id text PRIMARY KEY,
	name text NOT NULL,
	enabled boolean NOT NULL,
	disabled_reason text CHECK (disabled_reason IN ('manual', 'gone', 'failing')),
	failing_since timestamptz,
	config jsonb NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX webhooks_name_unique ON webhooks (lower(btrim(name)));

CREATE TABLE profiles (
	id text PRIMARY KEY,
	name text NOT NULL,
	config jsonb NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX profiles_name_unique ON profiles (lower(btrim(name)));

-- The event id is the idempotency key: a second insert of the same id does nothing. data is
-- json, not jsonb: its text (key order) is kept, so the body sent is the body received.
CREATE TABLE events (
	id text PRIMARY KEY,
	type text NOT NULL,
	timestamp timestamptz NOT NULL,
	data json NOT NULL,
	received_at timestamptz NOT NULL,
	deliveries jsonb NOT NULL
);
CREATE INDEX events_received_at ON events (received_at);

-- No foreign key to webhooks: the log outlives a deleted webhook.
CREATE TABLE deliveries (
	id text PRIMARY KEY,
	event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	event_type text NOT NULL,
	webhook_id text NOT NULL,
	profile_id text,
	status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
	response_code integer,
	attempt_count integer NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL,
	last_attempt_at timestamptz,
	next_attempt_at timestamptz,
	attempts jsonb NOT NULL DEFAULT '[]',
	request json,
	lease_owner text,
	lease_until timestamptz
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_created ON deliveries (created_at DESC, id DESC);
CREATE INDEX deliveries_webhook_created ON deliveries (webhook_id, created_at DESC, id DESC);
CREATE INDEX deliveries_status_created ON deliveries (status, created_at DESC, id DESC);
CREATE INDEX deliveries_type_created ON deliveries (event_type, created_at DESC, id DESC);
CREATE INDEX deliveries_code_created ON deliveries (response_code, created_at DESC, id DESC);
CREATE INDEX deliveries_profile_created ON deliveries (profile_id, created_at DESC, id DESC) WHERE profile_id IS NOT NULL;
CREATE INDEX deliveries_event ON deliveries (event_id);

-- One token bucket per rate-limited webhook, shared by every dispatcher.
-- next_slot: where the next refused delivery is told to come back, so a backlog returns spread
-- at the rate (one slot each, over all instances) instead of all at once.
CREATE TABLE rate_buckets (
	webhook_id text PRIMARY KEY,
	tokens double precision NOT NULL,
	updated_at timestamptz NOT NULL,
	next_slot timestamptz
);

-- Books a token available now or within p_horizon_ms (the bucket may go into debt for it):
-- reserved, with the wait before sending. Beyond the horizon nothing is taken, and wait_ms says
-- when to ask again: the next free slot, one 1/rate apart per refusal. Same arithmetic as the
-- lowdb backend's in-memory buckets (tokenBuckets.ts).
CREATE FUNCTION book_rate_token(p_webhook text, p_rate double precision, p_horizon_ms double precision,
	OUT reserved boolean, OUT wait_ms double precision)
LANGUAGE plpgsql AS $$
DECLARE
	burst double precision := GREATEST(1, p_rate);
	at_now timestamptz := clock_timestamp();
	have double precision;
	last_at timestamptz;
	slot timestamptz;
BEGIN
	INSERT INTO rate_buckets (webhook_id, tokens, updated_at) VALUES (p_webhook, burst, at_now)
		ON CONFLICT (webhook_id) DO NOTHING;
	SELECT tokens, updated_at, next_slot INTO have, last_at, slot FROM rate_buckets WHERE webhook_id = p_webhook FOR UPDATE;
	have := LEAST(burst, have + GREATEST(0, EXTRACT(EPOCH FROM at_now - last_at)) * p_rate);
	IF have >= 1 THEN
		reserved := true;
		wait_ms := 0;
		have := have - 1;
	ELSE
		wait_ms := ceil((1 - have) * 1000 / p_rate);
		IF wait_ms <= p_horizon_ms THEN
			reserved := true;
			have := have - 1;
		ELSE
			reserved := false;
			slot := GREATEST(COALESCE(slot, at_now), at_now + make_interval(secs => (wait_ms - p_horizon_ms) / 1000));
			wait_ms := ceil(EXTRACT(EPOCH FROM slot - at_now) * 1000);
			slot := slot + make_interval(secs => 1 / p_rate);
		END IF;
	END IF;
	UPDATE rate_buckets SET tokens = have, updated_at = GREATEST(last_at, at_now), next_slot = slot WHERE webhook_id = p_webhook;
END
$$;
`,
	},
	{
		version: 2,
		name: 'ingest sources and device statuses',
		sql: `
-- An ingest source's whole record (with its counters) as jsonb; the name unique as for webhooks.
CREATE TABLE sources (
	id text PRIMARY KEY,
	name text NOT NULL,
	record jsonb NOT NULL
);
CREATE UNIQUE INDEX sources_name_unique ON sources (lower(btrim(name)));

-- The last authentication status seen per device, keyed '<vendor>:<device id>'.
-- Where an event came from when an ingest source sent it (the vendor's body, size-capped).
ALTER TABLE events ADD COLUMN origin json;

CREATE TABLE device_statuses (
	key text PRIMARY KEY,
	status text NOT NULL,
	at timestamptz NOT NULL
);
`,
	},
];
