"""Lead-sheet tasks for meta-training the chord-conditioned melody network (issue 19 point 3).

:func:`load_leadsheet_tasks` reads a folder of lead sheets (a folder per songwriter, a folder
per song, one MusicXML ``.mxl`` each, as ``../shared/data/leadsheets``) with
:func:`studio.io.musicxml.read_musicxml` and makes one task per songwriter folder: every 8-bar
phrase of its songs (tokens in the song's key) with its chord classes
(:mod:`.chord_features`). The songwriters ``bench chords`` measures on (:data:`HELDOUT`) are
left out, and so is every folder that credits one of their writers (29 folders such as
``Dorothy_Fields-Jerome_Kern``), so no held-out composer's style is seen in training. Unreadable
files are skipped and counted, never fatal.

:class:`ChordEpisodes` draws Reptile episodes from those tasks (2-4 support phrases, 2 query
phrases, the query from other songs where the task has them), and :func:`main`
(``python -m studio.domains.melody.leadsheet_corpus``) meta-trains the chord-conditioned
variant from the shipped ``melody-reptile`` weights (:func:`~.chord_features.extend_params`)
with the project's :class:`~studio.meta.trainer.MetaTrainer` under a wall-clock budget,
checkpointing under ``--run-dir``, and writes the model (safetensors + JSON card) through
:mod:`.weights`. The card records the held-out query loss with the true chords and with every
chord replaced by "no chord": how much the network reads its chord input.

The folk corpus (``data/melody``, chords implied by :func:`~.harmony.implied_chords`) is not
used: it is not prepared in this checkout (``python main.py prepare-melodies``).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from studio.domains.melody.chord_features import Table, build_chord_batch, chord_table, phrases_with_chords
from studio.domains.melody.model import MelodyNetConfig, style_features
from studio.domains.melody.representation import RepresentationError, encode, melody_key
from studio.errors import StudioError
from studio.meta.episodes import Task

HELDOUT = ("George_Gershwin-Ira_Gershwin", "Jerome_Kern-Oscar_Hammerstein_II", "Leo_Robin-Ralph_Rainger",
           "Lorenz_Hart-Richard_Rodgers", "[Traditional]")
PHRASE_BARS = 8
MIN_NOTES = 8


def shares_a_writer(folder: str, heldout: tuple[str, ...] = HELDOUT) -> bool:
    """Whether a songwriter folder (names joined by ``-``) credits someone of a held-out folder
    (``Dorothy_Fields-Jerome_Kern`` shares Jerome Kern with ``Jerome_Kern-Oscar_Hammerstein_II``)."""
    people = {p for h in heldout for p in h.split("-")}
    return bool(set(folder.split("-")) & people)


@dataclass(frozen=True)
class ChordPhrase:
    """One phrase: its tokens, its chord table (ticks from bar 1) and the song it comes from."""

    tokens: tuple[int, ...]
    table: Table
    song: str


def load_leadsheet_tasks(folder: str | Path, split: str = "train", heldout: tuple[str, ...] = HELDOUT,
                         bars: int = PHRASE_BARS, strict: bool = True
                         ) -> tuple[dict[str, list[ChordPhrase]], dict[str, int]]:
    """``({songwriter: phrases}, counts of what was skipped)`` for the ``train`` songwriters
    (all but ``heldout`` and, with ``strict``, every folder that shares a writer with them:
    :func:`shares_a_writer`) or the ``heldout`` ones. Phrases need ``MIN_NOTES`` notes and a chord.

    Raises StudioError when ``folder`` is not a folder.
    """
    from studio.io.musicxml import read_musicxml

    root = Path(folder)
    if not root.is_dir():
        raise StudioError(f"no lead sheets at {root}: pass the folder of songwriter folders")
    skipped = {"unreadable": 0, "unencodable": 0, "too_short_or_no_chords": 0, "folders_sharing_a_writer": 0}
    tasks: dict[str, list[ChordPhrase]] = {}
    for writer in sorted(p for p in root.iterdir() if p.is_dir()):
        if (writer.name in heldout) != (split == "heldout"):
            continue
        if split == "train" and strict and shares_a_writer(writer.name, heldout):
            skipped["folders_sharing_a_writer"] += 1
            continue
        out = []
        for path in sorted(writer.glob("*/*.mxl")):
            try:
                melody = read_musicxml(path)[0]
            except StudioError:
                skipped["unreadable"] += 1
                continue
            key = melody_key(melody)
            for cut, spans in phrases_with_chords(melody, bars):
                if len(cut.notes) < MIN_NOTES or not any(s.chord for s in spans):
                    skipped["too_short_or_no_chords"] += 1
                    continue
                try:
                    tokens = encode(cut, key)
                except RepresentationError:
                    skipped["unencodable"] += 1
                    continue
                out.append(ChordPhrase(tuple(tokens), chord_table(spans, key.tonic), path.parent.name))
        if len(out) >= 3:
            tasks[writer.name] = out
    return tasks, skipped


def episode_task(support: list[ChordPhrase], query: list[ChordPhrase]) -> Task:
    """An engine :class:`Task`: every phrase conditioned on the support's style and its own chords."""
    phrases = support + query
    inputs, targets = build_chord_batch([list(p.tokens) for p in phrases], [p.table for p in phrases],
                                        style_features([p.tokens for p in support]))
    k = len(support)
    return Task(tuple(t[:k] for t in inputs), targets[:k], tuple(t[k:] for t in inputs), targets[k:])


def _without_chords(task: Task) -> Task:
    return Task((*task.support_x[:5], torch.zeros_like(task.support_x[5])), task.support_y,
                (*task.query_x[:5], torch.zeros_like(task.query_x[5])), task.query_y)


class ChordEpisodes:
    """A :class:`studio.meta.episodes.TaskSampler` over lead-sheet tasks (reproducible from the
    generator the trainer passes, so a resumed run sees the same episodes)."""

    def __init__(self, tasks: dict[str, list[ChordPhrase]], support: tuple[int, int] = (2, 4),
                 query: int = 2) -> None:
        self.tasks = {n: p for n, p in tasks.items() if len(p) >= support[0] + query}
        if not self.tasks:
            raise StudioError(f"no lead-sheet task has {support[0] + query} phrases")
        self.names = sorted(self.tasks)
        self.support, self.query = support, query

    def episode(self, index: int) -> tuple[list[ChordPhrase], list[ChordPhrase]]:
        rng = np.random.default_rng(index)
        pool = self.tasks[self.names[int(rng.integers(len(self.names)))]]
        count = int(rng.integers(self.support[0], min(self.support[1], len(pool) - self.query) + 1))
        order = [int(i) for i in rng.permutation(len(pool))]
        support = [pool[i] for i in order[:count]]
        songs = {p.song for p in support}
        rest = [pool[i] for i in order[count:]]
        query = ([p for p in rest if p.song not in songs] + [p for p in rest if p.song in songs])[:self.query]
        return support, query

    def sample(self, generator: torch.Generator) -> Task:
        return episode_task(*self.episode(int(torch.randint(0, 2**62, (1,), generator=generator))))


def query_losses(model: torch.nn.Module, params: dict[str, torch.Tensor], episodes: ChordEpisodes, count: int,
                 steps: int, lr: float) -> dict[str, float]:
    """Mean query loss after ``steps`` SGD steps on the support, with the true chords and with
    every chord input set to "no chord" (the gap is what the network takes from the chords)."""
    from studio.domains.melody.model import sequence_loss
    from studio.meta import functional as F
    from studio.meta.inner import InnerConfig, inner_loop

    out = {}
    for label, transform in (("with_chords", lambda t: t), ("chords_blanked", _without_chords)):
        losses = []
        for i in range(count):
            task = transform(episode_task(*episodes.episode(10_000 + i)))
            phi = F.detach(params)
            if steps:
                phi, _ = inner_loop(model, phi, {}, task.support_x, task.support_y, sequence_loss,
                                    InnerConfig(steps=steps, lrs=(lr,), clip_grad_norm=5.0), track_params=False)
            with torch.no_grad():
                losses.append(float(F.loss_at(model, phi, {}, task.query_x, task.query_y, sequence_loss)))
        out[label] = round(float(np.mean(losses)), 4)
    return out


def main(argv: list[str] | None = None) -> int:
    from studio.domains.melody.chord_features import extend_params
    from studio.domains.melody.model import MelodyNet, parameter_count, sequence_loss
    from studio.domains.melody.train import _Deadline, initial_params
    from studio.domains.melody.weights import save_model
    from studio.meta import checkpoint as ckpt
    from studio.meta import functional as F
    from studio.meta.algorithms import AlgorithmConfig
    from studio.meta.inner import InnerConfig
    from studio.meta.trainer import MetaTrainer, TrainerConfig

    parser = argparse.ArgumentParser(prog="python -m studio.domains.melody.leadsheet_corpus",
                                     description="meta-train the chord-conditioned melody network on lead sheets")
    parser.add_argument("--leadsheets", default="../shared/data/leadsheets")
    parser.add_argument("--init", default="models/melody-reptile", help="plain model whose weights start the run")
    parser.add_argument("--out", default="models/melody-chords", help="where the model is written")
    parser.add_argument("--run-dir", default="runs/melody-chords")
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--chord-embed", type=int, default=16,
                        help="chord embedding width (0: no chord input, the same training for comparison)")
    parser.add_argument("--meta-batch", type=int, default=3)
    parser.add_argument("--inner-steps", type=int, default=4)
    parser.add_argument("--inner-lr", type=float, default=0.1)
    parser.add_argument("--outer-lr", type=float, default=1e-3)
    parser.add_argument("--checkpoint-every", type=int, default=50)
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(max(1, args.threads))
    try:
        train_tasks, skipped = load_leadsheet_tasks(args.leadsheets, "train")
        heldout_tasks, _ = load_leadsheet_tasks(args.leadsheets, "heldout")
        episodes = ChordEpisodes(train_tasks)
        heldout = ChordEpisodes(heldout_tasks)
    except StudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    base_tensors, base_card = ckpt.load_checkpoint(args.init)
    base = MelodyNetConfig.from_dict(base_card["config"])
    net = MelodyNetConfig(**{**base.to_dict(), "chord_embed": args.chord_embed})
    torch.manual_seed(args.seed)
    model = MelodyNet(net)
    # --chord-embed 0: the plain network on the same tasks (the ablation: lead-sheet data without chords)
    start = extend_params(initial_params(args.init), net, args.seed) if net.chord_embed else initial_params(args.init)
    model.load_state_dict(start)
    inner = InnerConfig(steps=args.inner_steps, lrs=(args.inner_lr,), clip_grad_norm=5.0)
    config = TrainerConfig(algorithm=AlgorithmConfig(method="reptile", inner=inner), iterations=args.iterations,
                           meta_batch_size=args.meta_batch, outer_optimizer="adam", outer_lr=args.outer_lr,
                           seed=args.seed, checkpoint_every=args.checkpoint_every,
                           checkpoint_path=str(Path(args.run_dir) / "reptile"))
    stem = str(Path(args.run_dir) / "reptile")
    if args.resume and ckpt.paths(stem)[1].exists():
        trainer = MetaTrainer.from_checkpoint(model, episodes, sequence_loss, stem, iterations=args.iterations)
    else:
        trainer = MetaTrainer(model, episodes, sequence_loss, config)
    adapt = base_card.get("adapt", {})
    lr, steps = float(adapt.get("lr", 0.05)), int(adapt.get("steps", 5))
    before = query_losses(model, start, heldout, 24, steps, lr)
    print(json.dumps({"train_tasks": len(episodes.names), "phrases": sum(len(p) for p in episodes.tasks.values()),
                      "heldout_before": before}), flush=True)
    started = time.monotonic()
    result = trainer.train(_Deadline(args.minutes * 60, every=10))
    seconds = time.monotonic() - started
    params = F.detach(trainer.params)
    after = query_losses(model, params, heldout, 24, steps, lr)
    card = {
        "name": Path(args.out).name,
        "description": f"Chord-conditioned melody GRU ({parameter_count(model)} parameters): melody-reptile "
                       f"widened with a {args.chord_embed}-wide chord embedding, Reptile on lead-sheet tasks",
        "method": "reptile", "training_method": "reptile",
        "data": {"leadsheets": str(args.leadsheets), "train_tasks": episodes.names,
                 "phrases": sum(len(p) for p in episodes.tasks.values()), "skipped": skipped,
                 "heldout_tasks": list(HELDOUT),
                 "also_excluded": "every folder crediting a writer of a held-out folder", "folk_tasks": "none (data/melody not prepared)",
                 "episodes": "2-4 support + 2 query phrases of 8 bars with their chords, one songwriter"},
        "command": "python -m studio.domains.melody.leadsheet_corpus " + shlex.join(sys.argv[1:]),
        "init": {"from": str(args.init), "steps": base_card.get("steps")},
        "steps": result.steps_done, "train_seconds": round(seconds, 1),
        "metrics": {**{k: round(v, 4) for k, v in result.metrics.items()},
                    "heldout_query_loss_before": before, "heldout_query_loss_after": after,
                    "heldout_episodes": 24, "adapt_steps": steps},
        "settings": {"chord_embed": args.chord_embed, "meta_batch": args.meta_batch,
                     "inner_steps": args.inner_steps, "inner_lr": args.inner_lr, "outer_lr": args.outer_lr,
                     "seed": args.seed},
        "adapt": {"lr": lr, "steps": steps, "clip": 5.0, "selected_on": "the init model's card"},
    }
    save_model(args.out, params, net, card)
    print(json.dumps({"model": args.out, "steps": result.steps_done, "seconds": round(seconds),
                      "heldout_before": before, "heldout_after": after}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
