"""Backport verdicts learned from a repository's own past (``python -m trainer backports``).

Feature rows come from the Node side (src/backports/, hashed sparse features); this package only
fits and applies a linear model with scikit-learn. It never imports torch: the Node worker image
runs it with numpy and scikit-learn alone.
"""
