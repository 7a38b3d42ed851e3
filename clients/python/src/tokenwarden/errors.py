"""Exceptions of the TokenWarden client.

A refused check raises a ``CheckRefused`` subclass carrying the decision, the reasons and the
``Retry-After``; a TokenWarden that cannot be reached (or answers 5xx) raises
``TokenWardenUnavailable`` unless the client was made with ``fail_open=True``.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence


class TokenWardenError(Exception):
    """Any error the client raises. ``status`` and ``body`` are the HTTP answer, when there was one."""

    def __init__(self, message: str, status: Optional[int] = None, body: Any = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body


class TokenWardenUnavailable(TokenWardenError):
    """TokenWarden could not be reached, timed out, or answered 5xx (``retry_after`` when it said)."""

    def __init__(self, message: str, status: Optional[int] = None, body: Any = None, retry_after: Optional[float] = None):
        super().__init__(message, status, body)
        self.retry_after = retry_after


class AuthenticationError(TokenWardenError):
    """401: no usable API key (missing, unknown, revoked or expired)."""


class PermissionDenied(TokenWardenError):
    """403 that is not a check's decision: a key without the route's role (``missing_role``), or
    a request outside the key's scope (``errors``)."""

    def __init__(self, message: str, status: Optional[int] = None, body: Any = None,
                 missing_role: Optional[str] = None, errors: Sequence[Any] = ()):
        super().__init__(message, status, body)
        self.missing_role = missing_role
        self.errors = list(errors)


class InvalidRequest(TokenWardenError):
    """400, 413, 415 or 422: the request breaks a rule; ``errors`` lists each ``FieldError``."""

    def __init__(self, message: str, status: Optional[int] = None, body: Any = None, errors: Sequence[Any] = ()):
        super().__init__(message, status, body)
        self.errors = list(errors)


class NotFound(TokenWardenError):
    """404: an unknown budget name, reservation or path."""


class CheckRefused(TokenWardenError):
    """A check whose decision is not allow or warn. ``result`` is the whole ``CheckResult``."""

    def __init__(self, result: Any, status: Optional[int] = None, body: Any = None):
        reasons = "; ".join(f"{r.rule}: {r.message}" for r in result.reasons if r.decision == result.decision)
        super().__init__(f"TokenWarden check refused ({result.decision}): {reasons or 'no reason given'}", status, body)
        self.result = result
        self.decision = result.decision
        self.reasons = result.reasons
        self.retry_after = result.retry_after


class Denied(CheckRefused):
    """deny (403): a budget or policy refuses; retrying does not help."""


class Throttled(CheckRefused):
    """throttle (429): retry after ``retry_after`` seconds."""


class ApprovalRequired(CheckRefused):
    """require_approval (403): a human must approve; ``approval_id`` is the request made (with API keys)."""

    @property
    def approval_id(self) -> Optional[str]:
        return self.result.approval_id
