import logging

import pytest

from audiogen.errors import AudiogenError
from audiogen.sources.ingest import (
    FEED,
    HTML,
    MAX_BYTES,
    decode_document,
    read_document,
    sniff_kind,
)
from audiogen.sources.ingest import TEXT as PAGE_TEXT

TEXT = "Headline here\n\nA first paragraph that says something, as articles do.\n"


def write(tmp_path, data: bytes, name="page.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def refusal(source) -> str:
    with pytest.raises(AudiogenError) as caught:
        read_document(source)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(source))
    return message


def test_utf8_is_read_as_is(tmp_path):
    document = read_document(write(tmp_path, "Beijing’s “no limits” ties\n".encode()))
    assert document.text == "Beijing’s “no limits” ties\n"
    assert document.encoding == "utf-8"


def test_utf8_bom_and_windows_newlines_are_dropped(tmp_path):
    document = read_document(write(tmp_path, b"\xef\xbb\xbfOne\r\nTwo\rThree\n"))
    assert document.text == "One\nTwo\nThree\n"


def test_cp1252_falls_back_with_a_warning(tmp_path, caplog):
    source = write(tmp_path, "Beijing’s stance — “quoted”".encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="audiogen"):
        document = read_document(source)
    assert document.text == "Beijing’s stance — “quoted”"
    assert document.encoding == "cp1252"
    assert "not valid UTF-8" in caplog.text


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="audiogen"):
        document = read_document(write(tmp_path, b"Caf\xe9 \x81 text"))
    assert document.encoding == "latin-1"
    assert document.text.startswith("Café")


def test_utf16_with_bom(tmp_path):
    document = read_document(write(tmp_path, TEXT.encode("utf-16")))
    assert document.text == TEXT


def test_missing_file(tmp_path):
    assert "no such file" in refusal(tmp_path / "nope.txt")


def test_folder(tmp_path):
    assert "folder" in refusal(tmp_path)


@pytest.mark.parametrize("data", [b"", b"  \n\n\t \n"])
def test_empty_file(tmp_path, data):
    assert "empty" in refusal(write(tmp_path, data))


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb", "MP3"),
        (bytes(range(256)) * 4, "binary"),
        (b"text then \x00\x00\x00 nul bytes", "binary"),
    ],
)
def test_binary_file(tmp_path, data, said):
    assert said in refusal(write(tmp_path, data))


def test_huge_file(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: large on paper, cheap on disk
    assert "too large" in refusal(path)


def test_html_is_read_as_html(tmp_path):
    document = read_document(write(tmp_path, b"<!DOCTYPE html><html><body><p>Hi</p></body></html>"))
    assert document.kind == HTML and document.text.startswith("<!DOCTYPE html>")


def test_html_is_decoded_by_its_meta_charset(tmp_path):
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Café</p></body></html>'
    document = read_document(write(tmp_path, page.encode("latin-1"), "page.htm"))
    assert "Café" in document.text and document.encoding == "cp1252"


def test_the_declared_charset_comes_first(tmp_path):
    page = '<html><head><meta charset="utf-8"></head><body><p>Café</p></body></html>'
    data = page.encode("cp1252")
    assert "Café" in decode_document("page", data, HTML, charset="windows-1252").text
    # Declared UTF-8 but not: read as Windows-1252, with a warning.
    assert "Café" in decode_document("page", data, HTML).text


@pytest.mark.parametrize(
    ("data", "content_type", "kind"),
    [
        (b"<!DOCTYPE html><html><body><p>Hi</p>", None, HTML),
        (b"\xef\xbb\xbf  <html lang='en'><p>Hi</p></html>", None, HTML),
        (b"<div><p>A fragment of a page</p></div>", None, HTML),
        (b"Headline\n\nA paragraph about <p> tags.", None, PAGE_TEXT),
        (b"Headline\n\nA paragraph.", "text/html", HTML),
        (b'<?xml version="1.0"?>\n<!-- c --><rss version="2.0"><channel/></rss>', None, FEED),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', None, FEED),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', None, FEED),
        (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "<b>">]><rss>', None, FEED),
        (b'<rss version="2.0"><channel/></rss>', "text/html", FEED),  # the content wins
        ("<html><p>Hi</p></html>".encode("utf-16"), None, HTML),
    ],
)
def test_the_kind_is_told_by_the_content(data, content_type, kind):
    assert sniff_kind(data, content_type) == kind
