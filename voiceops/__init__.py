"""VoiceOps: a voice dispatcher for field technicians."""
