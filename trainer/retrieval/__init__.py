"""Retrieval helpers the bot's Node side calls as child processes (no torch at import time)."""
