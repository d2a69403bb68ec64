"""Text for the full-text index, and search boxes turned into FTS5 queries.

FTS5's unicode61 tokenizer splits on spaces and punctuation, which suits Latin, Cyrillic and
Korean words but leaves a Chinese or Japanese address as one long token. So every CJK, kana
and Hangul character becomes its own token, both when indexing and when searching; a typed
"王芳" becomes the phrase "王 芳", which matches those characters side by side anywhere.
"""

from __future__ import annotations

import re
import unicodedata

# Han, Hiragana, Katakana, Hangul syllables and jamo, CJK punctuation and full-width forms.
_CJK = re.compile(
    "([\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f])"
)
_TOKEN = re.compile(r"\w+")


def index_form(text: str) -> str:
    """Normalized text with CJK characters spaced apart, for the index."""
    return _CJK.sub(r" \1 ", unicodedata.normalize("NFKC", text))


def index_forms(*texts: str) -> list[str]:
    """index_form of each text, done in one pass (a sync indexes four texts per order)."""
    joined = "\x1f".join(texts)
    if joined.count("\x1f") != len(texts) - 1:  # a separator inside a text: make it a space
        joined = "\x1f".join(text.replace("\x1f", " ") for text in texts)
    if joined.isascii():  # NFKC leaves ASCII as it is, and it holds no CJK: nothing to do
        return joined.split("\x1f")
    return index_form(joined).split("\x1f")


def fts_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression for what the user typed, or None if nothing searchable.

    Every word must match (AND); each word is a phrase of its tokens, and the last token of
    each word matches as a prefix, so "smi" finds "Smith" and "SNL-00" finds "SNL-0012".
    Quotes and operators typed by the user are treated as plain text.
    """
    phrases = []
    for word in unicodedata.normalize("NFKC", user_text).split():
        tokens = _TOKEN.findall(index_form(word))
        if tokens:
            phrases.append('"' + " ".join(tokens) + '"*')
    return " AND ".join(phrases) if phrases else None
