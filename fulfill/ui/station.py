"""One packing station's own settings: its name, its two printers, sounds, and how many
copies of each paper it prints for each destination.

They live in the computer's QSettings, because they describe this bench (its printers, its
speakers). The rule that every item must be scanned before papers print is the owner's, for
every station on the store, so it lives in the store instead (REQUIRE_SCAN_KEY).
"""

from __future__ import annotations

import json
import re
import socket
from dataclasses import dataclass

from PySide6.QtCore import QSettings

from fulfill.domain.customs import EU_COUNTRIES
from fulfill.services.packing import REQUIRE_SCAN_KEY
from fulfill.storage import Store
from fulfill.translation import _
from fulfill.ui.printing import DOCUMENT, LABEL, PrinterProfile, load_profile, save_profile
from fulfill.ui.store_worker import Job

# REQUIRE_SCAN_KEY: store-wide (StoreSettings), default True: packing is verified by scanning
# each item before the papers print. Read it with `require_scan()`, write it through the
# StoreWorker with `save_require_scan_job()`.

# The papers a parcel can take, in the order they print.
COPY_KINDS = ("label", "cn22", "cn23", "invoice", "packing-slip")
KIND_TITLES = {"label": _("Shipping label"), "cn22": "CN 22", "cn23": "CN 23",
               "invoice": _("Commercial invoice"), "packing-slip": _("Packing slip")}
EU, ELSEWHERE = "EU", "*"
MAX_COPIES = 9

# Copies when no rule says otherwise. The invoice prints twice: one goes in the document
# pouch outside the parcel with the customs form, for the customs officer; the other goes
# inside, so the buyer (and customs, should the pouch be torn off) still has one. Carriers
# that want three (UPS) or posts that want more CN 23s (Japan Post) get a rule.
DEFAULT_COPIES = {"label": 1, "cn22": 1, "cn23": 1, "invoice": 2, "packing-slip": 1}

_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class CopyRule:
    kind: str  # one of COPY_KINDS
    destination: str  # a country code, EU or ELSEWHERE ("*")
    copies: int  # 0 = do not print this paper


def normal_destination(destination: str) -> str:
    """"de" -> "DE", "eu" -> "EU", "*" stays; anything else is a ValueError."""
    cleaned = destination.strip().upper()
    if cleaned in (EU, ELSEWHERE) or _COUNTRY.match(cleaned):
        return cleaned
    raise ValueError(f"{destination!r} is not a country code, EU or *")


def _check_kind(kind: str) -> None:
    if kind not in COPY_KINDS:
        raise ValueError(f"{kind!r} is not one of {', '.join(COPY_KINDS)}")


def _rule_order(rule: CopyRule) -> tuple[int, int, str]:
    """Kinds in printing order; within one, everywhere else, then EU, then countries A-Z."""
    rank = {ELSEWHERE: 0, EU: 1}.get(rule.destination, 2)
    return COPY_KINDS.index(rule.kind), rank, rule.destination


def host_name() -> str:
    """The computer's name without its domain ("bench-2", not "bench-2.local")."""
    return socket.gethostname().split(".")[0] or "Packing station"


class StationSettings:
    """This station's settings, read and written straight through to `settings`."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    # --- name and sounds ---------------------------------------------------------------
    @property
    def name(self) -> str:
        return str(self.settings.value("station/name", "") or "").strip() or host_name()

    @name.setter
    def name(self, value: str) -> None:
        self.settings.setValue("station/name", value.strip())

    @property
    def sounds_on(self) -> bool:
        return self.settings.value("station/sounds_on", True, type=bool)

    @sounds_on.setter
    def sounds_on(self, value: bool) -> None:
        self.settings.setValue("station/sounds_on", bool(value))

    # --- printers ----------------------------------------------------------------------
    def label_profile(self) -> PrinterProfile:
        return load_profile(self.settings, LABEL)

    def document_profile(self) -> PrinterProfile:
        return load_profile(self.settings, DOCUMENT)

    def profile(self, role: str) -> PrinterProfile:
        return load_profile(self.settings, role)

    def save_profile(self, profile: PrinterProfile) -> None:
        save_profile(self.settings, profile)

    # --- copies ------------------------------------------------------------------------
    def _saved_rules(self) -> dict[str, dict[str, int]]:
        """{kind: {destination: copies}}; a damaged value counts as no rules at all."""
        try:
            saved = json.loads(str(self.settings.value("station/copies", "") or "{}"))
        except ValueError:
            return {}
        if not isinstance(saved, dict):
            return {}
        rules: dict[str, dict[str, int]] = {}
        for kind, by_destination in saved.items():
            if kind not in COPY_KINDS or not isinstance(by_destination, dict):
                continue
            for destination, copies in by_destination.items():
                if isinstance(copies, int) and 0 <= copies <= MAX_COPIES:
                    rules.setdefault(kind, {})[destination] = copies
        return rules

    def _save_rules(self, rules: dict[str, dict[str, int]]) -> None:
        self.settings.setValue("station/copies", json.dumps(rules, sort_keys=True))

    def copies(self, kind: str, country_code: str) -> int:
        """How many of `kind` a parcel to `country_code` gets: the country's own rule, else
        the EU rule for an EU member, else the rule for everywhere else."""
        _check_kind(kind)
        country = country_code.strip().upper()
        rules = self._saved_rules().get(kind, {})
        for destination in (country, EU if country in EU_COUNTRIES else None, ELSEWHERE):
            if destination is not None and destination in rules:
                return rules[destination]
        return DEFAULT_COPIES[kind]

    def set_copies(self, kind: str, destination: str, copies: int) -> None:
        _check_kind(kind)
        if not 0 <= copies <= MAX_COPIES:
            raise ValueError(f"copies must be 0 to {MAX_COPIES}, not {copies}")
        rules = self._saved_rules()
        rules.setdefault(kind, {})[normal_destination(destination)] = copies
        self._save_rules(rules)

    def remove_copies(self, kind: str, destination: str) -> None:
        """Forget one rule; for ELSEWHERE that means back to the default."""
        rules = self._saved_rules()
        rules.get(kind, {}).pop(normal_destination(destination), None)
        self._save_rules(rules)

    def copy_rules(self) -> list[CopyRule]:
        """Every rule, the everywhere-else one of each kind included (saved or default), in
        printing order."""
        saved = self._saved_rules()
        rules = [CopyRule(kind, ELSEWHERE, saved.get(kind, {}).get(ELSEWHERE, DEFAULT_COPIES[kind]))
                 for kind in COPY_KINDS]
        rules += [CopyRule(kind, destination, copies)
                  for kind, by_destination in saved.items()
                  for destination, copies in by_destination.items() if destination != ELSEWHERE]
        return sorted(rules, key=_rule_order)

    def set_copy_rules(self, rules: list[CopyRule]) -> None:
        """Replace every rule with `rules` (what the settings dialog shows)."""
        table: dict[str, dict[str, int]] = {}
        for rule in rules:
            _check_kind(rule.kind)
            if not 0 <= rule.copies <= MAX_COPIES:
                raise ValueError(f"copies must be 0 to {MAX_COPIES}, not {rule.copies}")
            table.setdefault(rule.kind, {})[normal_destination(rule.destination)] = rule.copies
        self._save_rules(table)

    def sync(self) -> None:
        self.settings.sync()


# --- the store-wide scan rule ----------------------------------------------------------
def require_scan(store: Store) -> bool:
    """The owner's rule (default on). Call on the thread that opened `store`."""
    return bool(store.settings.get(REQUIRE_SCAN_KEY, True))


def save_require_scan_job(value: bool) -> Job:
    """A StoreWorker job that saves the rule: `worker.submit(save_require_scan_job(True))`."""
    def job(store: Store, _progress: object, _cancel: object) -> None:
        store.settings.set(REQUIRE_SCAN_KEY, bool(value))
    return job
