"""What a project remembers of taste learning (issue 18): the switch, Reset and the gallery rounds.

Role: plain bookkeeping, no torch and no Qt. A :class:`TasteState` lives in
``project.settings[TASTE_KEY]`` as JSON (so it saves and opens with the project like every other
setting) and records

- ``enabled``: the "Let the studio choose" switch; ``None`` is automatic (on once there is feedback);
- ``round``: how many galleries have been made so far; each new gallery is the next round;
- ``rounds``: the round each gallery work was shown in (work id -> round);
- ``reset_at``: the first round whose feedback counts. Reset sets it past the current round, so
  keeps and rejects from earlier galleries stop counting, while the works keep their statuses.

A work with no recorded round (made before taste learning, or by a variation) counts as round 0:
its keep or reject counts until the first Reset. The state is read from an untrusted file:
:meth:`TasteState.from_json` never raises, and anything malformed gives the default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable

TASTE_KEY = "taste"  # project.settings[TASTE_KEY]
MAX_ROUND = 10**9  # a larger round number in a file is hostile or corrupt
MAX_TRACKED_WORKS = 100_000  # more rounds than this in a file are refused (a gallery holds far fewer)
MAX_ID_LENGTH = 64  # work ids are 12 hex characters; anything much longer is not one


@dataclass
class TasteState:
    """The project's taste-learning state (mutable: edit a copy via :meth:`copy` for undo)."""

    enabled: bool | None = None  # None: automatic (on once there is feedback)
    reset_at: int = 0  # feedback from works shown in rounds >= reset_at counts
    round: int = 0  # galleries made so far; the next gallery is round + 1
    rounds: dict[str, int] = field(default_factory=dict)  # work id -> the round it was shown in

    def copy(self) -> TasteState:
        return replace(self, rounds=dict(self.rounds))

    def counts(self, work_id: str) -> bool:
        """Whether a keep or reject of ``work_id`` counts as feedback now."""
        return self.rounds.get(work_id, 0) >= self.reset_at

    def round_of(self, work_id: str) -> int:
        return self.rounds.get(work_id, 0)

    def next_round(self) -> int:
        """Start a new gallery round; returns its number (1 for the first gallery)."""
        self.round += 1
        return self.round

    def mark_shown(self, work_ids: Iterable[str], round_: int | None = None) -> None:
        """Record that these works were shown in ``round_`` (default: the current round)."""
        r = self.round if round_ is None else int(round_)
        for work_id in work_ids:
            self.rounds[str(work_id)] = r

    def reset(self) -> None:
        """Forget the feedback so far: only works of galleries after this one count from now on."""
        self.reset_at = self.round + 1

    def forget(self, keep_ids: Iterable[str]) -> None:
        """Drop the rounds of works no longer in the gallery (keeps the saved state small)."""
        keep = set(keep_ids)
        self.rounds = {k: v for k, v in self.rounds.items() if k in keep}

    def to_json(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "reset_at": self.reset_at, "round": self.round,
                "rounds": dict(self.rounds)}

    @classmethod
    def from_json(cls, obj: Any) -> TasteState:
        """The state saved in a project (untrusted): a malformed entry gives its default, a wholly
        malformed object the default state; never raises."""
        if not isinstance(obj, dict):
            return cls()
        enabled = obj.get("enabled")
        if not (enabled is None or isinstance(enabled, bool)):
            enabled = None
        round_ = _count(obj.get("round"))
        reset_at = min(_count(obj.get("reset_at")), round_ + 1)
        rounds: dict[str, int] = {}
        raw = obj.get("rounds")
        if isinstance(raw, dict) and len(raw) <= MAX_TRACKED_WORKS:
            for key, value in raw.items():
                if isinstance(key, str) and 0 < len(key) <= MAX_ID_LENGTH and _is_count(value) and value <= round_:
                    rounds[key] = int(value)
        return cls(enabled=enabled, reset_at=reset_at, round=round_, rounds=rounds)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ROUND


def _count(value: Any) -> int:
    return int(value) if _is_count(value) else 0


def state_of(settings: dict[str, Any]) -> TasteState:
    """The taste state stored in a project's settings (the default when absent or malformed)."""
    return TasteState.from_json(settings.get(TASTE_KEY))


def store(settings: dict[str, Any], state: TasteState) -> None:
    """Write ``state`` into a project's settings."""
    settings[TASTE_KEY] = state.to_json()
