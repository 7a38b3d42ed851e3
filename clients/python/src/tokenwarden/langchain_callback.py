"""A LangChain callback handler: reports every chat model call's ``usage_metadata``, and with
``check=True`` checks before the call (a refusal raises out of ``invoke``) and commits or releases
the reservation after.

    handler = TokenWardenCallbackHandler(warden, attribution={"team": "search"}, check=True)
    model.invoke("...", config={"callbacks": [handler]})
"""
from __future__ import annotations

import json
import threading
from typing import Any, Dict, Mapping, Optional
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler

from .adapters import from_langchain


class TokenWardenCallbackHandler(BaseCallbackHandler):
    # A refused check must stop the call, not be logged and ignored.
    raise_error = True

    def __init__(self, warden: Any, attribution: Optional[Mapping[str, str]] = None, check: bool = False,
                 provider: Optional[str] = None, model: Optional[str] = None, max_output_tokens: int = 0):
        self.warden = warden
        self.attribution = dict(attribution or {})
        self.check = check
        self.provider = provider
        self.model = model
        self.max_output_tokens = max_output_tokens
        self.results: list = []
        self._reservations: Dict[UUID, str] = {}
        self._lock = threading.Lock()

    def _target(self, metadata: Optional[Mapping[str, Any]]) -> "tuple[Optional[str], Optional[str]]":
        metadata = metadata or {}
        return self.provider or metadata.get("ls_provider"), self.model or metadata.get("ls_model_name")

    def on_chat_model_start(self, serialized: Any, messages: Any, *, run_id: UUID, metadata: Optional[dict] = None,
                            **kwargs: Any) -> None:
        if not self.check:
            return
        provider, model = self._target(metadata)
        if not provider or not model:
            raise ValueError("TokenWardenCallbackHandler(check=True) needs provider= and model= "
                             "(the model's ls_provider/ls_model_name were not given)")
        estimate = max(1, len(json.dumps([[getattr(m, "content", "") for m in batch] for batch in messages], default=str)) // 4)
        max_output = (metadata or {}).get("ls_max_tokens") or self.max_output_tokens
        result = self.warden.check(provider, model, estimated_input_tokens=estimate, max_output_tokens=max_output,
                                   attribution=self.attribution)
        if result.reservation_id:
            with self._lock:
                self._reservations[run_id] = result.reservation_id

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:
            reservation = self._reservations.pop(run_id, None)
        for generations in response.generations:
            for generation in generations:
                message = getattr(generation, "message", None)
                if message is None or not getattr(message, "usage_metadata", None):
                    continue
                usage = from_langchain(message, model=self.model, provider=self.provider)
                self.results.append(self.warden.report(usage, attribution=self.attribution, reservation=reservation))
                reservation = None  # one call, one commit

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:
            reservation = self._reservations.pop(run_id, None)
        if reservation:
            self.warden.release(reservation)
