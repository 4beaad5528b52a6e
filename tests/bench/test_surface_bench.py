"""``bench surface``: a tiny run on a synthetic held-out 'artist', and its table."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from studio.bench import surface as bench
from tests.bench.test_painting_calibration import make_artist

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def parsed(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_quick_run_measures_every_row(tmp_path):
    make_artist(tmp_path, "alpha", ((30, 20, 40), (60, 50, 70)))
    args = parsed("--data", str(tmp_path), "--artists", "alpha", "--quick", "--count", "2", "--patches", "256",
                  "--timing-runs", "0", "--sheet", str(tmp_path / "sheet.png"))
    result = bench.run(args)
    rows = {row["row"]: row for row in result["rows"]}
    assert set(rows) == set(bench.ROWS)
    for row in rows.values():
        assert np.isfinite(row["lattice"]) and row["light_specks"] >= 0 and 0 <= row["copy"] <= 1
        assert set(row["lattice_by_frequency"]) == {"1/8", "1/4", "3/8", "1/2"}
    assert (tmp_path / "sheet.png").exists() and result["transfer_seconds"] == {}
    assert "shipped" in "\n".join(result["table"])


def test_the_before_row_is_the_old_brushwork_and_the_table_reads():
    assert bench.BEFORE.choices == 1 and bench.BEFORE.blend == "variance"
    row = {"sets": 1, "lattice": 1.1, "lattice_by_frequency": {"1/8": 1.0, "1/4": 1.2, "3/8": 1.0, "1/2": 1.1},
           "light_specks": 6.0, "dark_specks": 2.0, "swd_ratio": 1.17, "swd_ratio_16": 0.93, "swd_ratio_32": 0.84,
           "copy": 0.0}
    result = {"artists": ["degas"], "tasks_per_artist": 1, "works_per_row": 16, "threads": 1,
              "rows": [{"row": name, **row} for name in bench.ROWS],
              "transfer_seconds": {"256": {"before": 0.100, "shipped": 0.105}}}
    table = bench.format_table(result)
    assert "1.100" in table and "before 100 ms, shipped 105 ms (1.05x)" in table


def test_the_sheet_crops_the_darkest_flattest_grounds():
    light = np.full((128, 128, 3), 200, np.uint8)
    dark = light.copy()
    dark[64:128, 0:64] = 20  # a dark flat corner
    found = bench._flat_crops([light, dark], 1)
    assert found == [(1, 64, 0)]
