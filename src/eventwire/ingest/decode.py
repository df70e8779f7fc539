"""Bytes to text: bounded reading (plain and gzip) and tolerant decoding.

Inputs come from scrapers and feeds, so wrong or mixed encodings are normal and must never crash a
batch. The order is: a UTF-32/UTF-16 byte-order mark decides; UTF-16 without a mark when its
NUL bytes say so (see :func:`_utf16_unmarked`); other NUL bytes mean a binary file; strict
UTF-8 (with or without BOM); UTF-8 with stray single bytes read as Windows-1252 when the bytes
are *mostly* UTF-8 (mixed files); otherwise charset_normalizer's best guess (legacy encodings).

A file that cannot be read says why: permission denied, a read error, or (only for ``.gz``)
a broken compressed stream; never "cannot decompress" for a plain file.

Caps: :data:`MAX_INPUT_BYTES` (20 MiB) of text per file, per JSONL line and per decompressed
``.gz`` file, so a gzip bomb stops after 20 MiB instead of filling memory.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from eventwire.errors import InputError

MAX_INPUT_BYTES = 20 * 1024 * 1024
MAX_CONTROL_SHARE = 0.01  # more control characters than this: a binary file, not text
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
GZIP_ERRORS = (OSError, EOFError, zlib.error)
#: Of the bytes at one parity (even or odd offsets), the share that must be NUL, and the most
#: the other parity may hold, for unmarked bytes to be read as UTF-16 (mostly Latin text).
UTF16_NUL_SHARE = 0.7
UTF16_OTHER_SHARE = 0.05


def size_text(n: int) -> str:
    """A byte count for messages: '20.0 MB'."""
    return f"{n / (1024 * 1024):.1f} MB"


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read an invalid UTF-8 byte as Windows-1252 (Latin-1 where undefined)."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    byte = err.object[err.start : err.start + 1]
    return byte.decode("cp1252", errors="ignore") or byte.decode("latin-1"), err.start + 1


codecs.register_error("eventwire-cp1252", _cp1252_fallback)


def open_input(path: Path) -> BinaryIO:
    """Open a file for reading bytes, transparently decompressing ``.gz``."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_error(path: Path, origin: str, exc: BaseException) -> InputError:
    """What went wrong reading ``path``, said plainly (permission, I/O, or decompression)."""
    if isinstance(exc, PermissionError):
        return InputError(origin, "permission denied: the file cannot be read")
    if path.suffix.lower() == ".gz" and isinstance(exc, gzip.BadGzipFile | EOFError | zlib.error):
        return InputError(origin, f"cannot decompress: {exc}")
    if isinstance(exc, FileNotFoundError):
        return InputError(origin, "no such file")
    if isinstance(exc, IsADirectoryError):
        return InputError(origin, "is a directory")
    if isinstance(exc, OSError):
        return InputError(origin, f"cannot read: {exc.strerror or exc}")
    return InputError(origin, f"cannot decompress: {exc}")


def read_capped(path: Path, origin: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """All bytes of a (possibly gzipped) file, or an InputError past ``limit``."""
    try:
        size = path.stat().st_size
        if path.suffix.lower() != ".gz" and size > limit:
            raise InputError(
                origin, f"too large ({size_text(size)}; the limit is {size_text(limit)})"
            )
        with open_input(path) as fh:
            data = fh.read(limit + 1)
    except GZIP_ERRORS as exc:
        raise read_error(path, origin, exc) from exc
    if len(data) > limit:
        raise InputError(origin, f"too large: more than {size_text(limit)} once decompressed")
    return data


MAX_SKIP_BYTES = 5 * MAX_INPUT_BYTES  # past an over-long line, how far to look for the next one


def iter_lines(fh: BinaryIO, limit: int = MAX_INPUT_BYTES) -> Iterator[bytes | None]:
    """Lines of a stream; a line longer than ``limit`` yields None and is skipped to its end.

    When no line end follows within :data:`MAX_SKIP_BYTES` (a gzip bomb of zeros, a binary
    file), reading stops there rather than decompressing the whole stream.
    """
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            yield None
            if not _skip_to_newline(fh, limit):
                return
            continue
        yield line


def _skip_to_newline(fh: BinaryIO, chunk: int) -> bool:
    """Skip to the next line; False when the stream ends or no line end comes soon enough."""
    skipped = 0
    while skipped <= MAX_SKIP_BYTES:
        rest = fh.readline(chunk)
        skipped += len(rest)
        if not rest:
            return False
        if rest.endswith(b"\n"):
            return True
    return False


def decode_bytes(data: bytes, origin: str) -> str:
    """Decode an input's bytes to text, or raise an InputError naming what is wrong with it."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _check_text(_decode_bom(data, codec, origin), origin)
    if b"\x00" in data:
        text = _utf16_unmarked(data)
        if text is None:
            raise InputError(origin, "binary file (contains NUL bytes), not text")
        return _check_text(text, origin)
    return _check_text(_decode_unmarked(data, origin), origin)


def _decode_bom(data: bytes, codec: str, origin: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            origin, f"undecodable: has a {codec.upper()} byte-order mark but {exc.reason}"
        ) from exc


def _utf16_unmarked(data: bytes) -> str | None:
    """The text of UTF-16 bytes without a byte-order mark, when they can be told reliably.

    Text in Latin scripts puts a NUL in every other byte (the high byte of each character): at
    odd offsets in little-endian, even ones in big-endian. When one parity is mostly NUL, the
    other almost never, and the bytes decode strictly, they are UTF-16; otherwise None (the
    caller calls them binary). UTF-16 of other scripts has few NULs and is not guessed.
    """
    sample = data[: 64 * 1024]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    share_even, share_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if share_odd >= UTF16_NUL_SHARE and share_even <= UTF16_OTHER_SHARE:
        codec = "utf-16-le"
    elif share_even >= UTF16_NUL_SHARE and share_odd <= UTF16_OTHER_SHARE:
        codec = "utf-16-be"
    else:
        return None
    try:
        return data[: len(data) - len(data) % 2].decode(codec)
    except UnicodeDecodeError:
        return None


def _decode_unmarked(data: bytes, origin: str) -> str:
    """UTF-8 if valid; mixed UTF-8/legacy if mostly UTF-8; else charset_normalizer's guess."""
    text = _strict_utf8(data)
    if text is not None:
        return text
    if _UTF8_MULTIBYTE.search(data):
        return data.decode("utf-8", errors="eventwire-cp1252")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(origin, "undecodable: not UTF-8 and no known encoding fits")
    return str(best)


def _strict_utf8(data: bytes) -> str | None:
    """The text if the bytes are valid UTF-8 (a UTF-8 BOM is dropped), else None."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _check_text(text: str, origin: str) -> str:
    """Reject binary-looking text; drop the odd stray control character from scraped text."""
    controls = len(_CONTROL.findall(text))
    if controls and controls > MAX_CONTROL_SHARE * len(text):
        raise InputError(origin, f"binary file ({controls} control characters), not text")
    return _CONTROL.sub("", text) if controls else text
