-- Operations: dead-lettered deliveries that ops can read (`voiceops failed`), and retention
-- (`voiceops purge`) that removes transcripts and audio but keeps the audit of what was written.

-- The delivery that gave up: set on the last Service Bus delivery before the message is
-- dead-lettered, in its own transaction, so the reason survives the rollback of the work.
ALTER TABLE voice_commands ADD COLUMN dead_lettered_at timestamptz;
-- When the transcript and audio of this command were removed under the retention policy.
ALTER TABLE voice_commands ADD COLUMN purged_at timestamptz;

CREATE INDEX voice_commands_dead_lettered ON voice_commands (dead_lettered_at DESC)
    WHERE dead_lettered_at IS NOT NULL;
CREATE INDEX voice_commands_unpurged ON voice_commands (created_at) WHERE purged_at IS NULL;
