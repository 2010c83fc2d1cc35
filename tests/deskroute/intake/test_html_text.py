"""HTML bodies to text: an unfinished construct at the end is text, read once."""

from __future__ import annotations

from deskroute.intake.html_text import html_to_text


def test_an_unfinished_tag_or_comment_at_the_end_stays_text() -> None:
    assert html_to_text("<p>a &lt; b</p><p>x<y then text") == "a < b\n\nx<y then text"
    assert html_to_text("<p>hi</p><!-- never closed") == "hi\n\n<!-- never closed"
    assert html_to_text("<p>ok</p><script>var a = 1") == "ok"


def test_a_200_kb_unfinished_tag_is_read_once() -> None:
    """Each `<` of this used to be re-read to the end of the text: minutes for 200 kB."""
    for unit in ("<a b='", "<a x=1 ", "<!--", "</", "<x"):
        html = "<p>Hello</p>" + unit * (200_000 // len(unit))
        assert html_to_text(html) == "Hello\n\n" + html.removeprefix("<p>Hello</p>").strip()
