"""Rate limits (GCRA), quotas, concurrency limits and throttling, per process or shared in Redis."""

from bastion.ratelimit.guard import RateLimitGuard
from bastion.ratelimit.memory import MemoryLimiter

__all__ = ["MemoryLimiter", "RateLimitGuard"]
