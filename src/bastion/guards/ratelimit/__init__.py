"""Rate limits (GCRA), quotas, concurrency limits and throttling, per process or shared in Redis."""
