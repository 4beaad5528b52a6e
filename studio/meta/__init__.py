"""Model-agnostic meta-learning: optimisation-, metric-, network- and RL-based methods.

Algorithms are pure functions over parameter dicts (``dict[str, Tensor]``) evaluated with
``torch.func.functional_call``; a module is never mutated during adaptation.
"""
