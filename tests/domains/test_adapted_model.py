"""AdaptedModel's project entries: to_project / from_project round trip and hostile entries."""

from __future__ import annotations

import json

import pytest

from studio.core.samples import Domain
from studio.domains.base import AdaptedModel


def _model(**changes) -> AdaptedModel:
    values = dict(domain=Domain.PAINTING, model_name="painting-v1", method="reptile", delta=b"\x00safetensors",
                  steps=12, seconds=3.5, losses=(0.5, 0.25), sample_digests=("a1", "b2"), stopped_early=True,
                  notes=("Copy guard: 1 checkpoint refused",))
    values.update(changes)
    return AdaptedModel(**values)


def test_round_trip_through_json_keeps_every_field():
    model = _model()
    meta, delta = model.to_project()
    assert delta == model.delta
    restored = AdaptedModel.from_project(json.loads(json.dumps(meta)), delta)  # what a project file keeps
    assert restored == model and restored.delta == model.delta


def test_the_project_key_is_the_one_projects_already_use():
    assert AdaptedModel.PROJECT_KEY == "adapted"  # saved projects name their entries so


def test_older_entries_without_optional_fields_still_load():
    meta = {"domain": "melody", "model_name": "m", "method": "instant"}
    model = AdaptedModel.from_project(meta, bytearray(b"d"))
    assert model == AdaptedModel(Domain.MELODY, "m", "instant", b"d")


@pytest.mark.parametrize(("meta", "delta"), [
    (None, b"d"),
    ({"domain": "painting", "model_name": "m", "method": "reptile"}, None),
    ({"domain": "painting", "model_name": "m", "method": "reptile"}, "not bytes"),
    ("not a dict", b"d"),
    ({"model_name": "m", "method": "reptile"}, b"d"),  # no domain
    ({"domain": "sculpture", "model_name": "m", "method": "reptile"}, b"d"),  # unknown domain
    ({"domain": "painting", "model_name": "m", "method": "reptile", "steps": "many"}, b"d"),
    ({"domain": "painting", "model_name": "m", "method": "reptile", "losses": 3}, b"d"),
    ({"domain": "painting", "model_name": "m", "method": "reptile", "losses": ["x"]}, b"d"),
    ({"domain": "painting", "model_name": "m", "method": "reptile", "steps": float("inf")}, b"d"),  # JSON Infinity
])
def test_malformed_entries_give_none(meta, delta):
    assert AdaptedModel.from_project(meta, delta) is None
