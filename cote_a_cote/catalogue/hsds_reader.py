"""Reading an HSDS JSON file record by record, in bounded memory; messages name the record.

The file is a JSON list of services, or an HSDS page whose ``contents`` is that list. ijson's
event parser reads it in chunks; each record is built here, so nesting deeper than MAX_DEPTH
stops with a message instead of exhausting memory or the stack. Numbers JSON does not allow
(NaN, Infinity) and numbers too large for a float (1e400) are reported with the record's index,
its id when already read, and the field being read. A lone UTF-16 surrogate escape ("\\ud800"
without its pair) is no character: the parser would turn it into "?" or fail, so the bytes are
scanned for one as they are read, and it is reported with its line and column.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import BinaryIO

import ijson
from flask_babel import gettext as _
from ijson.backends import python as slow_parser

MAX_DEPTH = 32
_LOCATE_LIMIT = 32 * 1024 * 1024  # characters read again to give a line and column
_CONTAINERS = {"start_map": dict, "start_array": list}
_ENDS = {"end_map", "end_array"}
_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


class ReadFailed(Exception):
    """The file cannot be read as HSDS JSON; the message is translated and names where."""


class LoneSurrogate(Exception):
    """A \\uD800-\\uDFFF escape without its pair, at byte offset (from the start of the text)."""

    def __init__(self, offset: int, escape: str):
        super().__init__(escape)
        self.offset = offset
        self.escape = escape


# One JSON escape: a backslash with the character it escapes, or a \uXXXX code.
# finditer reads escapes from left to right, so each backslash is paired with the character after
# it: in the JSON text \\ud800 the first backslash escapes the second, and "ud800" is plain text.
_ESCAPE = re.compile(rb"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)
_LOW = re.compile(rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_TAIL = 12  # an escape that starts before the last 12 bytes, and its pair, are whole


class CountingReader:
    """A binary stream that counts the bytes read, for progress and time left.

    It also checks every \\u escape read: a UTF-16 surrogate must come in a high-low pair.
    """

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.position = 0  # bytes handed to the parser
        self._carry = b""  # bytes read but not yet checked, so not yet handed over

    def read(self, size: int = -1) -> bytes:
        """Bytes whose escapes are all checked: a chunk's last bytes wait for the next one."""
        while True:
            data = self.stream.read(size)
            text = self._carry + data
            end = self._checked_up_to(text, at_end=not data)
            if end or not data:
                self._carry = text[end:]
                self.position += end
                return text[:end]
            self._carry = text

    def _checked_up_to(self, text: bytes, at_end: bool) -> int:
        """Check the escapes of text; how far it is checked (all of it at the end of the file)."""
        limit = len(text) if at_end else len(text) - _TAIL
        scanned = 0
        for match in _ESCAPE.finditer(text):
            if match.start() >= limit:
                break
            if match.start() < scanned:  # the low half of a pair already checked
                continue
            scanned = match.end()
            if match[1] is None:
                continue
            code = int(match[1], 16)
            if 0xD800 <= code <= 0xDBFF:
                pair = _LOW.match(text, match.end())
                if pair is None:
                    raise LoneSurrogate(self.position + match.start(), match[0].decode("ascii"))
                scanned = pair.end()
            elif 0xDC00 <= code <= 0xDFFF:
                raise LoneSurrogate(self.position + match.start(), match[0].decode("ascii"))
        return max(limit, scanned, 0)


def open_records(stream: BinaryIO) -> tuple[CountingReader, Iterator[tuple[int, object]]]:
    """(reader, records): records yields (index, record) as each one is read."""
    start = stream.read(4)
    for bom, name in _OTHER_BOMS:
        if start.startswith(bom):
            raise ReadFailed(
                _("The file is encoded in %(encoding)s: save it as UTF-8.", encoding=name)
            )
    skip = len(codecs.BOM_UTF8) if start.startswith(codecs.BOM_UTF8) else 0
    stream.seek(skip)
    reader = CountingReader(stream)
    return reader, _records(reader)


def _records(reader: CountingReader) -> Iterator[tuple[int, object]]:
    events = ijson.basic_parse(reader, use_float=True)
    state = _State()
    try:
        first, _value = next(events, (None, None))
        if first == "start_map":
            if not _find_contents(events):
                raise ReadFailed(_("The file must hold a JSON list of HSDS services."))
        elif first != "start_array":
            raise ReadFailed(_("The file must hold a JSON list of HSDS services."))
        for index, (event, value) in enumerate(events):
            if event == "end_array":
                break
            state.reset(index)
            yield index, _build(event, value, events, state)
        for _event in events:  # the rest of a page envelope: read to check it is well formed
            pass
    except ijson.JSONError as error:
        message = state.describe(_reason(error))
        where = _locate(reader.stream)
        if where is not None:
            message += " " + _("(line %(line)d, column %(column)d)", line=where[0], column=where[1])
        raise ReadFailed(message) from None
    except UnicodeDecodeError:
        raise ReadFailed(state.describe(_("bytes that are not UTF-8 text"))) from None
    except LoneSurrogate as lone:
        line, column = _line_and_column(reader.stream, lone.offset)
        raise ReadFailed(
            _(
                "The file holds %(escape)s, half of a UTF-16 surrogate pair, which is no "
                "character (line %(line)d, column %(column)d): correct the text there.",
                escape=lone.escape,
                line=line,
                column=column,
            )
        ) from None


def _find_contents(events) -> bool:
    """Advance to the start of the page's contents list; False when there is none."""
    depth = 0
    for event, value in events:
        if depth == 0 and event == "map_key" and value == "contents":
            kind, _value = next(events)
            if kind == "start_array":
                return True
            if kind in _CONTAINERS:
                depth += 1
        elif event in _CONTAINERS:
            depth += 1
        elif event in _ENDS:
            depth -= 1
            if depth < 0:
                return False
    return False


class _State:
    """Where the reader is, for messages: record index, its id, the path of keys being read."""

    def __init__(self):
        self.index: int | None = None
        self.root = None
        self.path: list = []

    def reset(self, index: int) -> None:
        self.index, self.root, self.path = index, None, []

    def describe(self, reason: str) -> str:
        if self.index is None:
            return _("The file is not valid JSON: %(reason)s.", reason=reason)
        record_id = self.root.get("id") if isinstance(self.root, dict) else None
        field = ""
        for part in self.path:
            if part is None:
                continue
            field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else part)
        return _(
            "Record %(index)d (id %(id)s), field %(field)s: %(message)s",
            index=self.index,
            id=f'"{record_id}"' if isinstance(record_id, str) else "-",
            field=field or "-",
            message=_("not valid JSON: %(reason)s", reason=reason),
        )


def _build(event: str, value, events, state: _State):
    """The value starting with (event, value), read from events; containers are built here.

    state.path holds, for each open container, the key or index being read in it.
    """
    if event not in _CONTAINERS:
        return value
    root = _CONTAINERS[event]()
    state.root = root
    stack: list = [root]
    path = state.path
    path.append(None)
    for event, value in events:
        top = stack[-1]
        if event == "map_key":
            path[-1] = value
            continue
        if event in _ENDS:
            stack.pop()
            path.pop()
            if not stack:
                return root
            continue
        if isinstance(top, list):
            path[-1] = len(top)
            top.append(None)
        if event in _CONTAINERS:
            if len(stack) >= MAX_DEPTH:
                raise ReadFailed(
                    state.describe(_("nested more than %(max)d levels deep", max=MAX_DEPTH))
                )
            child = _CONTAINERS[event]()
            top[path[-1]] = child
            stack.append(child)
            path.append(None)
        else:
            top[path[-1]] = value
    return root


def _reason(error: Exception) -> str:
    text = str(error).lower()
    if "overflow" in text:
        return _("a number too large (such as 1e400)")
    if "utf8" in text or "utf-8" in text:
        return _("bytes that are not UTF-8 text")
    if "premature eof" in text or "incomplete" in text:
        return _("the file ends in the middle of a value")
    if "malformed number" in text:
        return _("a malformed number (NaN and Infinity are not numbers in JSON)")
    if "invalid char" in text:
        return _("a character JSON does not allow here (NaN and Infinity are not numbers in JSON)")
    return _("malformed JSON")


def _locate(stream: BinaryIO) -> tuple[int, int] | None:
    """(line, column) of the first syntax error, found again by ijson's pure-Python parser."""
    try:
        stream.seek(0)
        skip = len(codecs.BOM_UTF8) if stream.read(3) == codecs.BOM_UTF8 else 0
        stream.seek(skip)
        for _event in slow_parser.basic_parse(stream):
            pass
    except Exception as error:  # noqa: BLE001 - any parser error may carry a position
        match = re.search(r" at (\d+)$", str(error))
        if match is None:
            return None
        offset = int(match[1])
    else:
        return None
    if offset > _LOCATE_LIMIT:
        return None
    stream.seek(skip)
    text = codecs.getreader("utf-8")(stream, "replace").read(offset)
    line = text.count("\n") + 1
    return line, offset - (text.rfind("\n") + 1) + 1


def _line_and_column(stream: BinaryIO, offset: int) -> tuple[int, int]:
    """(line, column) of byte offset, counted from where the text starts (after a BOM)."""
    stream.seek(0)
    skip = len(codecs.BOM_UTF8) if stream.read(3) == codecs.BOM_UTF8 else 0
    stream.seek(skip)
    line, column, done = 1, 1, 0
    while done < offset:
        chunk = stream.read(min(1 << 20, offset - done))
        if not chunk:
            break
        done += len(chunk)
        newlines = chunk.count(b"\n")
        if newlines:
            line += newlines
            column = len(chunk) - chunk.rfind(b"\n")
        else:
            column += len(chunk)
    return line, column
