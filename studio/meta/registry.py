"""The registry of adaptation methods the UI and the CLI offer (names are stable identifiers)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MethodInfo:
    """One way to adapt a meta-trained model to a user's samples."""

    name: str  # stable identifier used in projects, CLI flags and reports
    label: str  # shown in menus
    description: str  # tooltip text
    gradient_based: bool = True


ADAPTATION_METHODS: dict[str, MethodInfo] = {
    m.name: m
    for m in (
        MethodInfo("maml", "MAML (second order)",
                   "Gradient steps from a MAML-trained start; meta-gradients through the inner loop."),
        MethodInfo("fomaml", "First-order MAML",
                   "Gradient steps from a first-order-MAML start: cheaper meta-training, same adaptation."),
        MethodInfo("reptile", "Reptile",
                   "Gradient steps from a Reptile start (meta-trained by moving towards adapted weights)."),
        MethodInfo("anil", "ANIL (head only)",
                   "Adapts only the output head: fastest, keeps the learned features fixed."),
        MethodInfo("metasgd", "Meta-SGD",
                   "Gradient steps with learned per-parameter learning rates."),
        MethodInfo("hypernet", "Hypernetwork (instant)",
                   "No gradient steps: a hypernetwork maps the samples to weight modulations at once.",
                   gradient_based=False),
    )
}

DEFAULT_METHOD = "reptile"
