"""The docs a newcomer reads stay true: links resolve, the notebook keeps its shape, and every
command docs/RESULTS.md gives still parses with the real command line."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "docs" / "RESULTS.md", ROOT / "docs" / "BENCHMARKS.md"]
NOTEBOOK = ROOT / "docs" / "BENCHMARKS.md"
RESULTS = ROOT / "docs" / "RESULTS.md"


def _prose(text: str) -> str:
    """The text outside fenced code blocks (a ``# comment`` in a shell block is no heading)."""
    return re.sub(r"```.*?```", "", text, flags=re.S)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation (and superscripts) dropped,
    each space a hyphen."""
    return re.sub(r"[^\w\- ]|²", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_slug(h) for h in re.findall(r"^#{1,6} (.*)$", _prose(path.read_text()), flags=re.M)}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_relative_link_and_anchor_resolves(doc: Path) -> None:
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", _prose(doc.read_text())):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        dest = (doc.parent / file) if file else doc
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and anchor not in _anchors(dest):
            broken.append(f"{target}: no heading with that anchor in {dest.name}")
    assert not broken, f"{doc.name} has broken links:\n" + "\n".join(broken)


def test_notebook_entries_are_dated_and_listed_in_the_contents() -> None:
    text = _prose(NOTEBOOK.read_text())
    entries = re.findall(r"^### (.*)$", text, flags=re.M)
    assert entries, "the notebook has no entries"
    undated = [e for e in entries if not re.match(r"\d{4}-\d{2}-\d{2}", e)]
    assert not undated, f"notebook entries must start with their date (YYYY-MM-DD: title): {undated}"
    contents = text.split("## Contents", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"\]\(#([^)]+)\)", contents))
    missing = [e for e in entries if _slug(e) not in listed]
    assert not missing, f"entries missing from the notebook's Contents: {missing}"


def _results_commands() -> list[str]:
    return re.findall(r"`(python main\.py [^`]+)`", RESULTS.read_text())


def test_results_gives_commands() -> None:
    assert len(_results_commands()) >= 10


def test_every_command_in_results_parses() -> None:
    """A renamed flag or benchmark would leave RESULTS.md pointing at a command that fails."""
    from studio.cli import build_parser

    parser = build_parser(load_command="bench")
    failures = []
    for command in _results_commands():
        argv = shlex.split(command)[2:]
        try:
            parser.parse_args(argv)
        except SystemExit:
            failures.append(command)
    assert not failures, "RESULTS.md commands the CLI refuses:\n" + "\n".join(failures)


def test_readme_layout_names_every_package_and_top_level_module() -> None:
    """A new module or package under studio/ is a line in the README's Layout."""
    layout = (ROOT / "README.md").read_text().split("## Layout", 1)[1].split("```", 2)[1]
    studio = ROOT / "studio"
    names = [f"{p.name}/" for p in studio.rglob("*") if p.is_dir() and (p / "__init__.py").exists()]
    names += [p.name for p in studio.glob("*.py") if p.name != "__init__.py"]
    missing = sorted(n for n in names if not re.search(rf"(^|\s){re.escape(n)}", layout, flags=re.M))
    assert not missing, f"the README's Layout does not name: {missing}"
