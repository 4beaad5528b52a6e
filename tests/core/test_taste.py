"""TasteState (studio.core.taste): rounds, Reset, and JSON that survives hostile project files."""

from __future__ import annotations

import json

import pytest

from studio.core.taste import MAX_ID_LENGTH, TASTE_KEY, TasteState, state_of, store


def test_rounds_and_reset_decide_which_feedback_counts() -> None:
    state = TasteState()
    assert state.enabled is None and state.round == 0
    first = state.next_round()
    state.mark_shown(["a", "b"], first)
    second = state.next_round()
    state.mark_shown(["c"])
    assert (first, second) == (1, 2) and state.round_of("c") == 2
    assert state.counts("a") and state.counts("c") and state.counts("unknown")  # before a Reset everything counts
    state.reset()
    assert not state.counts("a") and not state.counts("c") and not state.counts("unknown")
    state.mark_shown(["d"], state.next_round())
    assert state.counts("d") and state.reset_at == 3
    state.forget(["d"])
    assert state.rounds == {"d": 3}


def test_json_round_trip_and_copy_independence() -> None:
    state = TasteState(enabled=False, reset_at=2, round=3, rounds={"w1": 1, "w2": 3})
    again = TasteState.from_json(json.loads(json.dumps(state.to_json())))
    assert again == state
    copy = state.copy()
    copy.rounds["w3"] = 2
    assert "w3" not in state.rounds
    settings: dict = {}
    store(settings, state)
    assert state_of(settings) == state and TASTE_KEY in settings


@pytest.mark.parametrize("hostile", [
    None, 7, "taste", [], {"enabled": "yes"}, {"round": -4}, {"round": 2**80}, {"round": True},
    {"rounds": {"x": "one"}}, {"rounds": [1, 2]}, {"rounds": {"a" * (MAX_ID_LENGTH + 1): 1}},
    {"reset_at": 99, "round": 1}, {"rounds": {"w": 5}, "round": 1}, {"round": 1.5},
])
def test_a_hostile_entry_gives_the_default_for_what_is_wrong(hostile: object) -> None:
    state = TasteState.from_json(hostile)
    assert isinstance(state, TasteState)
    assert state.enabled in (None, True, False) and state.round >= 0
    assert 0 <= state.reset_at <= state.round + 1
    assert all(isinstance(k, str) and 0 <= v <= state.round for k, v in state.rounds.items())
    assert "w" not in state.rounds  # a round later than the project's count is refused


def test_a_partly_bad_entry_keeps_the_good_parts() -> None:
    state = TasteState.from_json({"enabled": True, "round": 4, "reset_at": "x", "rounds": {"ok": 2, "bad": -1}})
    assert state == TasteState(enabled=True, reset_at=0, round=4, rounds={"ok": 2})
