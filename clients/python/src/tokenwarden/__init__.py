"""TokenWarden's Python client: check before an LLM call, report its exact usage after."""
from .adapters import (from_anthropic, from_gemini, from_langchain, from_openai_chat, from_openai_responses,
                       usage_from)
from .client import AsyncTokenWarden, TokenWarden
from .errors import (ApprovalRequired, AuthenticationError, CheckRefused, Denied, InvalidRequest, NotFound,
                     PermissionDenied, Throttled, TokenWardenError, TokenWardenUnavailable)
from .guard import AsyncGuard, Guard
from .models import BudgetLimit, BudgetStatus, CheckResult, Reason, Reservation, Usage, UsageResult

__all__ = [
    "TokenWarden", "AsyncTokenWarden", "Guard", "AsyncGuard",
    "Usage", "CheckResult", "Reason", "Reservation", "UsageResult", "BudgetStatus", "BudgetLimit",
    "TokenWardenError", "TokenWardenUnavailable", "CheckRefused", "Denied", "Throttled", "ApprovalRequired",
    "AuthenticationError", "PermissionDenied", "InvalidRequest", "NotFound",
    "from_openai_chat", "from_openai_responses", "from_anthropic", "from_gemini", "from_langchain", "usage_from",
]
