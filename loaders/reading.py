"""Reading a case file's bytes into text: encoding detection and the checks that refuse bad files."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from govkg.errors import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (with or without BOM) or GB18030, else a detected encoding.

    Raises InputError for a missing, unreadable, empty, binary or undecodable file.
    """
    if not path.exists():
        raise InputError(str(path), "file not found")
    if path.is_dir():
        raise InputError(str(path), "is a folder, not a file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit_mb = MAX_FILE_BYTES // 1_048_576
            raise InputError(str(path), f"file is {size // 1_048_576} MB; the limit is {limit_mb} MB")
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot read the file ({err.strerror})") from err
    return decode_bytes(raw, str(path))


def decode_bytes(raw: bytes, name: str) -> str:
    """Decode a case file's bytes; `name` is used in error messages."""
    if not raw.strip():
        raise InputError(name, "file is empty")
    if raw.startswith(codecs.BOM_UTF8):
        return _checked(raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), name)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(raw.decode("utf-16"), name)
        except UnicodeDecodeError as err:
            raise InputError(name, "starts with a UTF-16 mark but is not valid UTF-16") from err
    if b"\x00" in raw[:8192]:
        raise InputError(name, "looks like a binary file, not text (save it as UTF-8 text)")
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(raw.decode(encoding, errors="strict"), name)
        except UnicodeDecodeError:
            continue
    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise InputError(name, "cannot tell the text encoding; save the file as UTF-8")
    return _checked(str(best), name)


def _checked(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(name, "file is empty")
    # Control characters other than whitespace mean the bytes were not text in this encoding.
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(8, len(text[:8192]) // 100):
        raise InputError(name, "looks like a binary file, not text (save it as UTF-8 text)")
    return text
