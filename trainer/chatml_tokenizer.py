"""ChatML message tokenizer for TorchTune (SmolLM2 and other ChatML models with a tokenizer.json).

TorchTune 0.6.1's ``HuggingFaceBaseTokenizer`` only encodes and decodes, and its
model tokenizers truncate from the right, which would cut the reviewer's comment
(the only thing the model learns) off a long example. This one renders

    <|im_start|>system\\n{system}<|im_end|>\\n<|im_start|>user\\n{hunk}<|im_end|>\\n<|im_start|>assistant\\n{comment}<|im_end|>\\n

exactly as the checkpoint's chat template does at inference, trains on the
assistant's content and its ``<|im_end|>`` (so the model learns to stop), and
when an example is longer than ``max_seq_len`` keeps a window of the hunk around
the commented line: whole hunk lines go from its top down to the line the comment
names (its ``R<n>``/``L<n>`` anchor), then from its bottom up to that line; without
an anchor (``NO_COMMENT``) from the top. The ``File:`` header, the precedents after
the hunk and the comment stay.

Used from a YAML as ``tokenizer._component_: trainer.chatml_tokenizer.ChatMLTokenizer``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
SYSTEM_TURNS = ("full", "first_paragraph")


class _Message(Protocol):
    role: str
    masked: bool

    @property
    def text_content(self) -> str: ...


class ChatMLTokenizer:
    """TorchTune ``ModelTokenizer`` + ``Transform`` over a Hugging Face ``tokenizer.json``."""

    def __init__(self, path: str, max_seq_len: int | None = None, system_turn: str = "full") -> None:
        from tokenizers import Tokenizer

        if system_turn not in SYSTEM_TURNS:
            raise ValueError(f"tokenizer.system_turn must be one of {', '.join(SYSTEM_TURNS)}, got {system_turn!r}.")
        self._tokenizer = Tokenizer.from_file(str(path))
        self.max_seq_len = max_seq_len
        self.system_turn = system_turn
        ids = {token: self._tokenizer.token_to_id(token) for token in (IM_START, IM_END)}
        missing = [token for token, token_id in ids.items() if token_id is None]
        if missing:
            raise ValueError(f"{path} has no {' / '.join(missing)} token; it is not a ChatML model's tokenizer.")
        self.im_start_id: int = ids[IM_START]
        self.im_end_id: int = ids[IM_END]
        self.eos_id = self.im_end_id
        # What the checkpoint's generation config pads with (SmolLM2: <|im_end|>); labels of
        # padding are ignored by the loss anyway.
        self.pad_id = self.im_end_id
        self._newline = self.encode("\n")

    @property
    def vocab_size(self) -> int:
        return self._tokenizer.get_vocab_size()

    def encode(self, text: str) -> list[int]:
        return self._tokenizer.encode(text, add_special_tokens=False).ids

    def decode(self, token_ids: Sequence[int]) -> str:
        return self._tokenizer.decode(list(token_ids), skip_special_tokens=False)

    def system_text(self, content: str) -> str:
        """``first_paragraph`` keeps the persona sentence and drops the answer-format rules,
        which every example already demonstrates (what the model need not read 800 times)."""
        if self.system_turn == "first_paragraph":
            return content.strip().split("\n\n", 1)[0]
        return content

    def tokenize_messages(self, messages: Sequence[_Message]) -> tuple[list[int], list[bool]]:
        """Tokens and mask (True = not learned), cut to max_seq_len around the commented hunk line."""
        texts = [self.system_text(m.text_content) if m.role == "system" else m.text_content for m in messages]
        tokens, mask = self._render(messages, texts)
        if self.max_seq_len is None or len(tokens) <= self.max_seq_len:
            return tokens, mask
        user = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
        if user is not None:
            header, hunk_lines, tail = _split_hunk(texts[user])
            answer = next((texts[i] for i in reversed(range(len(messages))) if messages[i].role == "assistant"), "")
            anchor = _anchor_index(hunk_lines, answer)
            top, bottom = 0, len(hunk_lines)  # the window kept: hunk_lines[top:bottom]
            while len(tokens) > self.max_seq_len:
                overflow = len(tokens) - self.max_seq_len
                dropped = 0
                # Drop lines worth at least the overflow (each line costs >= 1 token), then re-render.
                while dropped < overflow:
                    if top < bottom and (anchor is None or top < anchor):
                        line, top = hunk_lines[top], top + 1
                    elif anchor is not None and bottom - 1 > anchor:
                        bottom -= 1
                        line = hunk_lines[bottom]
                    else:
                        break
                    dropped += len(self.encode(line + "\n"))
                if dropped == 0:
                    break
                texts[user] = header + "\n".join(hunk_lines[top:bottom]) + tail
                tokens, mask = self._render(messages, texts)
        if len(tokens) > self.max_seq_len:
            # Even without its hunk the example is too long (a huge system turn or comment):
            # keep the end, which holds the comment.
            tokens, mask = tokens[-self.max_seq_len :], mask[-self.max_seq_len :]
        return tokens, mask

    def _render(self, messages: Sequence[_Message], texts: list[str]) -> tuple[list[int], list[bool]]:
        tokens: list[int] = []
        mask: list[bool] = []
        for message, text in zip(messages, texts, strict=True):
            header = [self.im_start_id, *self.encode(f"{message.role}\n")]
            body = [*self.encode(text), self.im_end_id]
            tokens += header + body + self._newline
            # The turn header is what the prompt already ends with at inference: never learned.
            mask += [True] * len(header) + [message.masked] * len(body) + [True] * len(self._newline)
        return tokens, mask

    def __call__(self, sample: Mapping[str, Any], inference: bool = False) -> dict[str, Any]:
        tokens, mask = self.tokenize_messages(sample["messages"])
        return {**sample, "tokens": tokens, "mask": mask}


def _split_hunk(user_text: str) -> tuple[str, list[str], str]:
    """``File: path\\n\\n`` header, the hunk's lines below it, and what follows the hunk after a
    blank line (precedents, a note; a rendered hunk line is never blank): header and tail are kept."""
    head, sep, rest = user_text.partition("\n\n")
    if not sep:
        head, rest = "", user_text
    else:
        head += sep
    hunk, blank, tail = rest.partition("\n\n")
    return head, hunk.split("\n"), blank + tail


def _anchor_index(hunk_lines: list[str], answer: str) -> int | None:
    """The hunk line the answer's ``R<n>:``/``L<n>:`` anchor names (a row starts with its anchor)."""
    match = re.match(r"\s*([RL]\d+):", answer)
    if match is None:
        return None
    return next((i for i, line in enumerate(hunk_lines) if line.split(" ", 1)[0] == match.group(1)), None)
