"""Reading a case file's bytes into text: encoding detection and the checks that refuse bad files."""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

from charset_normalizer import CharsetMatch, from_bytes

from govkg.errors import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (with or without BOM), GB18030/GBK, Big5 or UTF-16.

    Raises InputError for a missing, unreadable, empty, binary or undecodable file.
    """
    if not path.exists():
        raise InputError(str(path), "file not found")
    if path.is_dir():
        raise InputError(str(path), "is a folder, not a file")
    limit_mb = MAX_FILE_BYTES // 1_048_576
    try:
        info = path.stat()  # through a link, what it points to
        # A pipe would make the read wait forever and a device (/dev/zero) never ends: regular files only.
        if not stat.S_ISREG(info.st_mode):
            raise InputError(str(path), "is not a regular file (a pipe, device or socket); give a saved text file")
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(str(path), f"file is {info.st_size // 1_048_576} MB; the limit is {limit_mb} MB")
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # the limit holds on the bytes read, whatever stat said
    except OSError as err:
        raise InputError(str(path), f"cannot read the file ({err.strerror})") from err
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(str(path), f"file is larger than the limit of {limit_mb} MB")
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
    try:
        return _checked(raw.decode("utf-8", errors="strict"), name)
    except UnicodeDecodeError:
        pass
    # GB18030 decodes almost any bytes (Big5, Shift_JIS and EUC-KR files become plausible-looking
    # nonsense), so it is taken only where the detector finds it as likely as any other reading.
    guesses = list(from_bytes(raw))
    try:
        gb_text: str | None = raw.decode("gb18030", errors="strict")
    except UnicodeDecodeError:
        gb_text = None
    if gb_text is not None and _plausible_gb(gb_text, guesses):
        return _checked(gb_text, name)
    best = guesses[0] if guesses else None
    if best is not None and _family(best.encoding) in ("big5", "utf-16"):
        return _checked(str(best), name)
    if best is None:
        raise InputError(
            name, "cannot tell the text encoding (it is not UTF-8, GB18030/GBK or Big5 text); save the file as UTF-8"
        )
    language = f", {best.language}" if best.language and best.language != "Unknown" else ""
    raise InputError(
        name,
        f"the text is not UTF-8, GB18030/GBK or Big5 (it reads best as {best.encoding}{language}); "
        "govkg reads Chinese case texts: open the file in an editor and save it as UTF-8",
    )


_FAMILIES = {
    "gb18030": "gb",
    "gbk": "gb",
    "gb2312": "gb",
    "hz": "gb",
    "big5": "big5",
    "big5hkscs": "big5",
    "cp950": "big5",
    "utf_16": "utf-16",
    "utf_16_le": "utf-16",
    "utf_16_be": "utf-16",
}
_PRIVATE_USE = range(0xE000, 0xF900)
_CHAOS_MARGIN = 0.05  # how much messier than the best reading a GB reading may look


def _family(encoding: str | None) -> str:
    return _FAMILIES.get((encoding or "").lower().replace("-", "_"), "")


def _plausible_gb(text: str, guesses: list[CharsetMatch]) -> bool:
    """A GB18030 reading is kept when it has no private-use characters (what other encodings'
    bytes turn into) and the detector ranks a GB encoding about as clean as its best guess."""
    if sum(1 for ch in text if ord(ch) in _PRIVATE_USE) > max(2, len(text) // 1000):
        return False
    if not guesses:
        return True
    best = min(g.chaos for g in guesses)
    return any(_family(g.encoding) == "gb" and g.chaos <= best + _CHAOS_MARGIN for g in guesses)


def _checked(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(name, "file is empty")
    # Control characters other than whitespace mean the bytes were not text in this encoding.
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(8, len(text[:8192]) // 100):
        raise InputError(name, "looks like a binary file, not text (save it as UTF-8 text)")
    return text
