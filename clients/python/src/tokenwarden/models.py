"""Typed answers of the TokenWarden API. Amounts of money are ``decimal.Decimal``, never floats."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, Union


@dataclass(frozen=True)
class Usage:
    """One call's usage in TokenWarden's terms: ``input_tokens`` is *all* input (cached included),
    ``output_tokens`` all output (reasoning included); the other counts are subsets of those.
    ``audio_input_tokens`` are the uncached audio input tokens, ``audio_output_tokens`` the audio
    output tokens. ``images`` (with ``image_size`` such as ``"1024x1024"`` and ``image_quality``)
    and the audio seconds are priced per unit; seconds are exact decimals (``Decimal`` or ``str``,
    never a float), at most 6 decimal places."""

    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0
    reasoning_tokens: int = 0
    audio_input_tokens: int = 0
    audio_output_tokens: int = 0
    images: int = 0
    image_size: Optional[str] = None
    image_quality: Optional[str] = None
    audio_input_seconds: Union[Decimal, str, int] = 0
    audio_output_seconds: Union[Decimal, str, int] = 0

    def event(self, event_id: str, attribution: Optional[Mapping[str, str]] = None,
              reservation: Optional[str] = None, time: Optional[str] = None) -> Dict[str, Any]:
        """The usage event for ``POST /v1/usage``."""
        body: Dict[str, Any] = {
            "id": event_id, "provider": self.provider, "model": self.model,
            "input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
            "cache_read_input_tokens": self.cache_read_input_tokens,
            "cache_creation_input_tokens": self.cache_creation_input_tokens,
            "reasoning_tokens": self.reasoning_tokens,
        }
        # Media fields only when used, so a text call's event is as it always was.
        for name in ("audio_input_tokens", "audio_output_tokens", "images"):
            if getattr(self, name):
                body[name] = getattr(self, name)
        for name in ("image_size", "image_quality"):
            if getattr(self, name) is not None:
                body[name] = getattr(self, name)
        for name in ("audio_input_seconds", "audio_output_seconds"):
            value = getattr(self, name)
            if isinstance(value, float):
                raise TypeError(f"{name} must be a Decimal, str or int, not a float")
            if Decimal(value) != 0:
                body[name] = str(value)
        if attribution:
            body["attribution"] = dict(attribution)
        if reservation:
            body["reservation"] = reservation
        if time:
            body["time"] = time
        return body


@dataclass(frozen=True)
class Reason:
    rule: str
    kind: str
    decision: str
    message: str
    usage_ratio: Optional[float] = None
    remaining: Optional[str] = None
    scope: Dict[str, str] = field(default_factory=dict)
    retry_after: Optional[int] = None

    @classmethod
    def parse(cls, body: Mapping[str, Any]) -> "Reason":
        return cls(rule=body["rule"], kind=body["kind"], decision=body["decision"], message=body["message"],
                   usage_ratio=body.get("usage_ratio"), remaining=body.get("remaining"),
                   scope=dict(body.get("scope") or {}), retry_after=body.get("retry_after_seconds"))


@dataclass(frozen=True)
class Reservation:
    id: str
    amount: Decimal
    currency: str
    tokens: int
    expires_at: str

    @classmethod
    def parse(cls, body: Optional[Mapping[str, Any]]) -> Optional["Reservation"]:
        if not body:
            return None
        return cls(id=body["id"], amount=Decimal(body["amount"]), currency=body["currency"],
                   tokens=body["tokens"], expires_at=body["expires_at"])


@dataclass(frozen=True)
class CheckResult:
    """The answer to ``POST /v1/check``. ``unavailable`` is true for the allow that ``fail_open``
    makes up when TokenWarden could not be asked."""

    decision: str
    reasons: List[Reason]
    reservation: Optional[Reservation]
    retry_after: Optional[int]
    estimated_cost: Optional[Decimal]
    currency: Optional[str]
    approval_id: Optional[str] = None
    unavailable: bool = False

    @property
    def allowed(self) -> bool:
        return self.decision in ("allow", "warn")

    @property
    def reservation_id(self) -> Optional[str]:
        return self.reservation.id if self.reservation else None

    @classmethod
    def parse(cls, body: Mapping[str, Any], retry_after_header: Optional[str] = None) -> "CheckResult":
        retry_after = body.get("retry_after_seconds")
        if retry_after is None and retry_after_header and retry_after_header.isdigit():
            retry_after = int(retry_after_header)
        approval = body.get("approval") or {}
        return cls(decision=body["decision"], reasons=[Reason.parse(r) for r in body.get("reasons", [])],
                   reservation=Reservation.parse(body.get("reservation")), retry_after=retry_after,
                   estimated_cost=Decimal(body["estimated_cost"]) if body.get("estimated_cost") is not None else None,
                   currency=body.get("currency"), approval_id=approval.get("id"))

    @classmethod
    def failed_open(cls) -> "CheckResult":
        return cls(decision="allow", reasons=[], reservation=None, retry_after=None, estimated_cost=None,
                   currency=None, unavailable=True)


@dataclass(frozen=True)
class UsageResult:
    """One event's result: its cost as TokenWarden priced it, and whether its id was seen before."""

    id: str
    cost: Decimal
    currency: str
    duplicate: bool

    @classmethod
    def parse(cls, body: Mapping[str, Any]) -> "UsageResult":
        return cls(id=body["id"], cost=Decimal(body["cost"]), currency=body["currency"], duplicate=body["duplicate"])


@dataclass(frozen=True)
class BudgetLimit:
    unit: str
    base: Decimal
    rollover: Decimal
    override: Decimal
    effective: Decimal
    used: Decimal
    reserved: Decimal
    remaining: Decimal
    usage_ratio: float

    @classmethod
    def parse(cls, body: Mapping[str, Any]) -> "BudgetLimit":
        amounts = {name: Decimal(body[name]) for name in
                   ("base", "rollover", "override", "effective", "used", "reserved", "remaining")}
        return cls(unit=body["unit"], usage_ratio=body["usage_ratio"], **amounts)


@dataclass(frozen=True)
class BudgetStatus:
    budget: str
    scope: Dict[str, str]
    period_start: Optional[str]
    period_end: Optional[str]
    timezone: str
    limits: List[BudgetLimit]
    step: Optional[str]
    override: Optional[Dict[str, Any]]

    @classmethod
    def parse(cls, body: Mapping[str, Any]) -> "BudgetStatus":
        period = body["period"]
        return cls(budget=body["budget"], scope=dict(body["scope"]), period_start=period["start"],
                   period_end=period["end"], timezone=period["timezone"],
                   limits=[BudgetLimit.parse(limit) for limit in body["limits"]], step=body["step"],
                   override=body["override"])
