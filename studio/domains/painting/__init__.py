"""The painting domain: artist data, patch-based baselines, generation and evaluation."""
