"""Detection (IDS) on the audit event stream."""
