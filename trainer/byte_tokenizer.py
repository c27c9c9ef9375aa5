"""A stand-in Llama 3 tokenizer file for tests and benchmarks without the real one.

Writes a tiktoken BPE file (``base64(token) rank`` per line, the format of
Llama 3's ``original/tokenizer.model``) holding only the 256 single bytes:
enough to encode any text, one token per byte. TorchTune's Llama 3 tokenizer
adds its special tokens at ids 128000-128255 on top, as with the real file.
"""

from __future__ import annotations

import base64
from pathlib import Path


def write_byte_level_tiktoken(path: Path) -> None:
    lines = [f"{base64.b64encode(bytes([b])).decode()} {b}" for b in range(256)]
    path.write_text("\n".join(lines) + "\n")
