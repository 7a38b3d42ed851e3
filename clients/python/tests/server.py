"""The real ``tokenwarden`` binary, started on a free loopback port for the tests."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Dict, Optional

import httpx

REPO = Path(__file__).resolve().parents[3]
CATALOG = REPO / "Rules" / "pricing" / "catalog.yaml"

RULES = {
    "budgets.yaml": """
budgets:
  - name: team-total
    scope: {org: acme}
    per: [team]
    period: total
    limit: "1000.00 USD"
    thresholds:
      - {at: 100%, action: deny}
  - name: broke-team
    scope: {team: broke}
    period: total
    limit: "0.000001 USD"
    thresholds:
      - {at: 100%, action: deny}
""",
    "quotas.yaml": """
quotas:
  - name: slow-agent
    scope: {agent: slow}
    per: [team]
    requests: 1
    window: 1h
""",
    "policies.yaml": """
policies:
  - name: no-opus-for-interns
    when: 'team == "interns" && model =~ "claude-opus.*"'
    action: require_approval
    message: interns need an approval for opus
""",
}


def binary() -> str:
    if os.environ.get("TOKENWARDEN_BINARY"):
        return os.environ["TOKENWARDEN_BINARY"]
    for configuration in ("debug", "release"):
        candidate = REPO / ".build" / configuration / "tokenwarden"
        if candidate.exists():
            return str(candidate)
    raise RuntimeError("tokenwarden binary not found: run `swift build` first (make test does)")


class Server:
    """``tokenwarden serve`` on a temporary rules directory (the shipped pricing catalog and the
    rules above) and database. ``keys`` maps key names to roles, created with the CLI before start."""

    def __init__(self, keys: Optional[Dict[str, str]] = None, config: str = ""):
        self.directory = Path(tempfile.mkdtemp(prefix="tw-py-"))
        self.rules = self.directory / "rules"
        (self.rules / "pricing").mkdir(parents=True)
        shutil.copy(CATALOG, self.rules / "pricing" / "catalog.yaml")
        for name, text in RULES.items():
            (self.rules / name).write_text(text)
        (self.rules / "tokenwarden.yaml").write_text(config)
        (self.directory / "data").mkdir()
        self.database = self.directory / "data" / "tokenwarden.sqlite"
        self.keys: Dict[str, str] = {}
        for name, roles in (keys or {}).items():
            output = subprocess.run([binary(), "keys", "create", "--name", name, "--role", roles,
                                     "--data", str(self.database), "--rules", str(self.rules)],
                                    capture_output=True, text=True, check=True)
            self.keys[name] = output.stdout.splitlines()[0].strip()
        self.log_path = self.directory / "serve.log"
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen([binary(), "serve", "--listen", "127.0.0.1:0", "--rules", str(self.rules),
                                         "--data", str(self.database)], stdout=self._log, stderr=subprocess.STDOUT)
        self.port = self._wait_for_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait_until_ready()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            match = re.search(r"address=127\.0\.0\.1:(\d+)", self.log())
            if match and int(match.group(1)) > 0:
                return int(match.group(1))
            if self.process.poll() is not None:
                raise RuntimeError(f"tokenwarden exited ({self.process.returncode}) during start:\n{self.log()}")
            time.sleep(0.02)
        raise RuntimeError(f"tokenwarden did not log its address within 90 s:\n{self.log()}")

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/-/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"tokenwarden did not become ready within 90 s:\n{self.log()}")

    def recorded(self, event_id: str, key: Optional[str] = None) -> dict:
        """The event as TokenWarden stored it (from GET /v1/usage)."""
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        events = httpx.get(self.url + "/v1/usage", headers=headers, timeout=5).json()["events"]
        matching = [e for e in events if e["id"] == event_id]
        assert len(matching) == 1, f"{event_id} recorded {len(matching)} times"
        return matching[0]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def catalog_prices(provider: str, model: str) -> Dict[str, Decimal]:
    """The prices per token of one catalog entry, read from the shipped catalog (exact decimals)."""
    text = CATALOG.read_text()
    pattern = (r'- provider: "' + re.escape(provider) + r'"\n\s+model: "' + re.escape(model)
               + r'"\n\s+prices: \{per: million, ([^}]*)\}')
    match = re.search(pattern, text)
    assert match, f"{provider}/{model} is not in the catalog"
    prices = {}
    for part in match.group(1).split(","):
        name, value = part.split(":")
        prices[name.strip()] = Decimal(value.strip().strip('"')) / Decimal(1_000_000)
    return prices


def expected_cost(provider: str, model: str, usage) -> Decimal:
    """What the catalog says the usage costs: each part of the input and output at its own price
    (cache reads, cache writes and reasoning at theirs when the catalog has one)."""
    prices = catalog_prices(provider, model)
    cache_read = usage.cache_read_input_tokens
    cache_creation = usage.cache_creation_input_tokens
    reasoning = usage.reasoning_tokens if "reasoning" in prices else 0
    plain_input = usage.input_tokens - cache_read - cache_creation
    plain_output = usage.output_tokens - reasoning
    return (plain_input * prices["input"]
            + cache_read * prices.get("cache_read", prices["input"])
            + cache_creation * prices.get("cache_creation", prices["input"])
            + plain_output * prices["output"]
            + reasoning * prices.get("reasoning", prices["output"]))
