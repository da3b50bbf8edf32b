-- Tickets, the voice command log, replies, audit and dialog state.

CREATE TABLE technicians (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customers (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    address     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name, address)
);

CREATE SEQUENCE ticket_number_seq START 1000;

CREATE TABLE tickets (
    id              integer PRIMARY KEY DEFAULT nextval('ticket_number_seq'),
    customer_id     bigint NOT NULL REFERENCES customers(id),
    technician_id   text REFERENCES technicians(id),
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'closed')),
    description     text,
    scheduled_start timestamptz,
    scheduled_end   timestamptz,
    reschedule_note text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    closed_at       timestamptz
);
CREATE INDEX tickets_technician_status ON tickets (technician_id, status);
CREATE INDEX tickets_unassigned_open ON tickets (scheduled_start) WHERE technician_id IS NULL AND status = 'open';

-- open -> in_progress -> closed (open -> closed allowed: a quick job closed without "starting").
-- Backwards moves happen only through undo, which sets voiceops.undo for its transaction.
CREATE FUNCTION enforce_ticket_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF (OLD.status = 'open' AND NEW.status IN ('in_progress', 'closed'))
       OR (OLD.status = 'in_progress' AND NEW.status = 'closed')
       OR coalesce(current_setting('voiceops.undo', true), '') = 'on' THEN
        NEW.updated_at := now();
        NEW.closed_at := CASE WHEN NEW.status = 'closed' THEN now() ELSE NULL END;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ticket % cannot go from % to %', OLD.id, OLD.status, NEW.status
        USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER tickets_status_transition BEFORE UPDATE OF status ON tickets
    FOR EACH ROW EXECUTE FUNCTION enforce_ticket_transition();

CREATE TABLE parts_catalogue (
    name text PRIMARY KEY
);

CREATE TABLE voice_commands (
    id              bigserial PRIMARY KEY,
    clip_id         text NOT NULL UNIQUE,
    technician_id   text NOT NULL,
    event_id        uuid,
    blob_url        text,
    transcript      text,
    stt_engine      text,
    stt_confidence  real,
    audio_seconds   real,
    extraction      jsonb,
    extractor       text,
    status          text NOT NULL DEFAULT 'processing'
                    CHECK (status IN ('processing', 'applied', 'needs_clarification', 'rejected', 'failed')),
    error_code      text,
    error           text,
    timings         jsonb NOT NULL DEFAULT '{}'::jsonb,
    attempts        integer NOT NULL DEFAULT 1,
    recorded_at     timestamptz,
    received_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    completed_at    timestamptz
);
CREATE INDEX voice_commands_technician_created ON voice_commands (technician_id, created_at DESC);
CREATE INDEX voice_commands_failed ON voice_commands (created_at DESC) WHERE status IN ('failed', 'rejected');

CREATE TABLE ticket_parts (
    id               bigserial PRIMARY KEY,
    ticket_id        integer NOT NULL REFERENCES tickets(id),
    part             text NOT NULL,
    kind             text NOT NULL DEFAULT 'used' CHECK (kind IN ('used', 'ordered')),
    voice_command_id bigint REFERENCES voice_commands(id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_parts_ticket ON ticket_parts (ticket_id);

CREATE TABLE billing_entries (
    id               bigserial PRIMARY KEY,
    ticket_id        integer NOT NULL REFERENCES tickets(id),
    technician_id    text NOT NULL REFERENCES technicians(id),
    hours            numeric(5, 2) NOT NULL CHECK (hours > 0 AND hours <= 24),
    rate             numeric(8, 2),
    voice_command_id bigint REFERENCES voice_commands(id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_entries_ticket ON billing_entries (ticket_id);

CREATE TABLE ticket_notes (
    id               bigserial PRIMARY KEY,
    ticket_id        integer NOT NULL REFERENCES tickets(id),
    technician_id    text NOT NULL REFERENCES technicians(id),
    note             text NOT NULL,
    voice_command_id bigint REFERENCES voice_commands(id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_notes_ticket ON ticket_notes (ticket_id);

CREATE TABLE replies (
    clip_id          text PRIMARY KEY REFERENCES voice_commands(clip_id),
    technician_id    text NOT NULL,
    status           text NOT NULL CHECK (status IN ('done', 'needs_clarification', 'failed')),
    style            text,
    decision_id      text,
    reply_text       text NOT NULL,
    audio_blob       text,
    sidecar          jsonb NOT NULL,
    audio_uploaded_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Every change, with the command that caused it and enough to undo it.
CREATE TABLE audit_log (
    id               bigserial PRIMARY KEY,
    voice_command_id bigint REFERENCES voice_commands(id),
    clip_id          text,
    technician_id    text NOT NULL,
    ticket_id        integer,
    action           text NOT NULL,
    entity           text NOT NULL,
    entity_id        text,
    before           jsonb,
    after            jsonb,
    reverted_by      bigint REFERENCES audit_log(id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_command ON audit_log (voice_command_id);
CREATE INDEX audit_log_technician_created ON audit_log (technician_id, created_at DESC);

-- One pending question per technician ("Do you want the next ticket?").
CREATE TABLE dialog_state (
    technician_id text PRIMARY KEY,
    question      text NOT NULL,
    payload       jsonb NOT NULL DEFAULT '{}'::jsonb,
    clip_id       text,
    expires_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
