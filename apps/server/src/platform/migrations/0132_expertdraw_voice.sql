-- Voice notification of expert draw invitations (issue 4: "notification through the SMS/voice and in-app adapters";
-- ADR 0019 § notification). Local rules differ — some centers phone every drawn expert (语音通知), others send SMS —
-- so the channels are a policy value; an expert may also ask to be called, on top of them.
ALTER TABLE expert_draw_settings ADD COLUMN invite_channels text[] NOT NULL DEFAULT '{sms}'
  CHECK (cardinality(invite_channels) >= 1 AND invite_channels <@ ARRAY['sms', 'voice']::text[]);
ALTER TABLE experts ADD COLUMN invite_by_voice boolean NOT NULL DEFAULT false;
