"""Small files for upload tests, made here (fictional content, no real document)."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

from werkzeug.datastructures import FileStorage

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n% Fictional test material.\n%%EOF\n"
)
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>\n"
)
TEXT = b"This is plain text pretending to be an image.\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny, grey PNG image."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def upload(content: bytes, name: str = "document.pdf", mimetype: str = "application/pdf"):
    """A FileStorage as a form would hand it to the view."""
    return FileStorage(stream=BytesIO(content), filename=name, content_type=mimetype)


def posted(content: bytes, name: str, mimetype: str = "application/octet-stream"):
    """The (stream, name, type) tuple the test client sends as a file field."""
    return (BytesIO(content), name, mimetype)


def multipart(fields: dict) -> dict:
    """Keyword arguments for client.post sending fields as multipart/form-data, encoded in memory
    (the test client spools large bodies to a temporary file it never closes when the server
    refuses the body unread). A tuple value is a file: (content, name, type)."""
    from werkzeug.test import encode_multipart

    values = {
        name: upload(*value) if isinstance(value, tuple) else value
        for name, value in fields.items()
    }
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}
