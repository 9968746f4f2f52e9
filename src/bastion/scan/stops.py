"""Why a scan stops sending: each reason is an exception raised where it is noticed (in the target, before
or after a request) and handled once, in the engine, which still writes the report with what was found."""

from __future__ import annotations


class ScanStopped(Exception):
    """The active checks cannot go on; the passive checks and the report still run."""


class BudgetExhausted(ScanStopped):
    """The request budget is spent."""


class DeadlineReached(ScanStopped):
    """--max-time has passed."""


class TargetDown(ScanStopped):
    """The target stopped answering and did not come back within --recovery-wait."""


class ScanBlocked(ScanStopped):
    """A gateway or the API itself answers every request with the same refusal (a ban, a block page)."""


class CheckAborted(Exception):
    """The target stopped answering during this check and came back: the check ends, the others go on."""


class ScanInterrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM: stop now, write what was found. A KeyboardInterrupt, so that no library and no
    check's `except Exception` mistakes it for an ordinary failure."""


class ScopeError(Exception):
    """A request for a host that was not given as the target."""


class UnsafeRequest(Exception):
    """A destructive request in safe mode."""
