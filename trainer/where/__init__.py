"""The where-model: which hunks of a pull request one reviewer comments on.

``python -m trainer where fit`` reads the feature rows the bot computes (src/where/, one JSON
object per hunk) and writes a JSON model the bot applies itself. scikit-learn and numpy only:
no torch, so the Node worker image can run it.
"""
