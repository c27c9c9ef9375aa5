"""tech-lead-bot's GPU side: train a reviewer's LoRA adapter and score predictions.

Run as ``python -m trainer <command>``; see ``python -m trainer --help``.
"""
