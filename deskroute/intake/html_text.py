"""HTML e-mail bodies to plain text with the standard library's parser.

Block elements become line breaks and `<blockquote>` content becomes `> ` lines, so that the
quote and signature stripping in `deskroute.intake.normalize` works on HTML-only mail as well.
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = frozenset(
    "address article aside blockquote dd div dl dt fieldset figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
_PARAGRAPHS = frozenset("blockquote h1 h2 h3 h4 h5 h6 ol p pre table ul".split())
_SKIPPED = frozenset({"head", "script", "style", "template", "title"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._skip_depth = 0
        self._quote_depth = 0
        self._pre_depth = 0

    def flush(self, *, force: bool = False) -> None:
        """End the current line; an empty one only for an explicit `<br>`."""
        text = "".join(self._line)
        if not self._pre_depth:
            text = " ".join(text.split())
        if text or force:
            self.lines.append(("> " * self._quote_depth) + text if text else "")
        self._line = []

    def _paragraph(self) -> None:
        self.flush()
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def _end_block(self, tag: str) -> None:
        if tag in _PARAGRAPHS:
            self._paragraph()
        else:
            self.flush()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag == "br":
            self.flush(force=True)
        elif tag in _BLOCKS:
            self._end_block(tag)
            if tag == "blockquote":
                self._quote_depth += 1
            elif tag == "pre":
                self._pre_depth += 1
            elif tag == "li":
                self._line.append("- ")
        elif tag in ("td", "th") and self._line:
            self._line.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCKS:
            self._end_block(tag)
            if tag == "blockquote":
                self._quote_depth = max(0, self._quote_depth - 1)
            elif tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)

    def close(self) -> None:
        """End of input. What the parser left unread is an unfinished construct (a tag, comment
        or declaration that never closes) and whatever follows it: all of it is text, its `<`
        escaped first. The standard parser (before Python 3.13.4) would instead read it again
        to the end of the input from each `<` inside it, quadratic in a crafted body such as
        `<a b='` repeated."""
        self.rawdata = self.rawdata.replace("<", "&lt;")
        super().close()

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._pre_depth:
            for i, part in enumerate(data.split("\n")):
                if i:
                    self.flush(force=True)
                self._line.append(part)
        else:
            self._line.append(data)


def html_to_text(html: str) -> str:
    """Readable text of an HTML body: paragraphs on their own lines, quotes as `> ` lines."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    collector.flush()
    lines: list[str] = []
    for line in collector.lines:
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()
