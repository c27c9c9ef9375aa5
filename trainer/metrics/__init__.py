"""Metrics for generated review comments, one module per metric family.

- ``bleu``: CodeReviewer's smoothed sentence BLEU-4 (comparable with papers).
- ``chrf``: sacrebleu's chrF.
- ``rouge``: rouge-score's ROUGE-L F-measure.
- ``embedding``: all-MiniLM-L6-v2 cosine similarity and its shuffled floor.
- ``location``: hunk-level "would comment" precision/recall/F1 and line distance.
- ``pairs``: reading and validating a ``{"pred", "gold", ...}`` JSONL file.
- ``score_pairs``: all of the above over one list of pairs.

Heavy libraries are imported inside the functions that need them, so
importing this package stays cheap for the CLI parser.
"""
