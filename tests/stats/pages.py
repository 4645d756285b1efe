"""Reading the dashboard's tables as a person sees them: rows by their key, cells as text."""

from __future__ import annotations

from html.parser import HTMLParser


class Tables(HTMLParser):
    """tables[table id][row key] → the texts of the row's cells (th and td), in order."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, dict[str, list[str]]] = {}
        self._table: str | None = None
        self._row: str | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = attrs["id"]
            self.tables[self._table] = {}
        elif tag == "tr" and self._table:
            self._row = attrs.get("data-key")
            if self._row is not None:
                self.tables[self._table][self._row] = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            self.tables[self._table][self._row].append(text)
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def __getitem__(self, table_id: str) -> dict[str, list[str]]:
        return self.tables[table_id]


def cell_counts(html: str) -> dict[str, str]:
    """The coverage matrix: 'region|need' → the cell's visible text (without the hidden part)."""

    class Matrix(HTMLParser):
        def __init__(self):
            super().__init__()
            self.cells: dict[str, str] = {}
            self._key = None
            self._hidden = 0
            self._text: list[str] = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "td" and "data-cell" in attrs:
                self._key, self._text = attrs["data-cell"], []
            elif (
                self._key
                and tag == "span"
                and ("visually-hidden" in (attrs.get("class") or "") or self._hidden)
            ):
                self._hidden += 1

        def handle_endtag(self, tag):
            if tag == "span" and self._hidden:
                self._hidden -= 1
            elif tag == "td" and self._key:
                self.cells[self._key] = " ".join("".join(self._text).split())
                self._key = None

        def handle_data(self, data):
            if self._key and not self._hidden:
                self._text.append(data)

    parser = Matrix()
    parser.feed(html)
    return parser.cells
