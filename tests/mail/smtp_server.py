"""A small SMTP server for tests: speaks enough of RFC 5321 for smtplib, refuses on demand."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes
from email.message import Message


class FakeSMTPServer(socketserver.ThreadingTCPServer):
    """Listens on 127.0.0.1 (a free port); refusing=True answers every connection with 421."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.refusing = True
        self.received: list[Message] = []
        self.connections = 0
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self) -> FakeSMTPServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        server: FakeSMTPServer = self.server
        server.connections += 1
        if server.refusing:
            self.reply("421 4.3.2 Service not available, closing channel")
            return
        self.reply("220 fake.invalid ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 fake.invalid")
            elif command.startswith(("MAIL FROM", "RCPT TO", "RSET", "NOOP")):
                self.reply("250 2.0.0 OK")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                server.received.append(message_from_bytes(b"".join(data)))
                self.reply("250 2.0.0 Queued")
            elif command == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Command not implemented")
