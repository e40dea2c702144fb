"""Stage 1, read: decoding, discovery, the size limit. Inputs are made in tmp_path."""
import codecs
import io
import os
import sys

import pytest

from pipeline.read import (DEFAULT_MAX_BYTES, Input, ReadError, _valid_utf8_share, decode, discover,
                           looks_like_html)

FRENCH = "Le Comité provincial du Parti de Lào Cai a adopté la résolution n° 57-NQ/TW le 22 décembre 2024.\n"
VIETNAMESE = "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về tỉnh Đắk Lắk.\n"


# -- decode ----------------------------------------------------------------

def test_utf8_plain():
    d = decode(FRENCH.encode("utf-8"))
    assert (d.text, d.encoding, d.warnings) == (FRENCH, "utf-8", [])


def test_utf8_bom_is_dropped():
    d = decode(codecs.BOM_UTF8 + VIETNAMESE.encode("utf-8"))
    assert d.text == VIETNAMESE and d.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(codec):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    d = decode(bom + VIETNAMESE.encode(codec))
    assert d.text == VIETNAMESE
    assert d.warnings == []


@pytest.mark.parametrize("codec, name", [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(codec, name):
    d = decode(FRENCH.encode(codec))
    assert d.text == FRENCH and d.encoding == name
    assert "no byte-order mark" in d.warnings[0]


def test_cp1252_falls_back_with_a_warning():
    d = decode("Le président a signé l'arrêté n° 12 à Hanoï — fin.\n".encode("cp1252"))
    assert d.text == "Le président a signé l'arrêté n° 12 à Hanoï — fin.\n"
    assert d.encoding == "cp1252" and "cp1252" in d.warnings[0]


def test_a_few_bad_bytes_keep_utf8():
    data = (FRENCH * 40).encode("utf-8")
    data = data[:1000] + b"\xff\xfe" + data[1000:]
    d = decode(data)
    assert d.encoding == "utf-8"
    assert d.text.count("\ufffd") == 2
    assert "replaced by U+FFFD" in d.warnings[0] and "byte 1000" in d.warnings[0]


def test_text_is_nfc_normalised():
    decomposed = "Nguye\u0302\u0303n Va\u0306n Ga\u0302\u0301u"  # NFD
    assert decode(decomposed.encode("utf-8")).text == "Nguyễn Văn Gấu"


@pytest.mark.parametrize("data, kind", [
    (b"", "empty"),
    (b"   \n\t\r\n  ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    (b"PK\x03\x04" + bytes(100), "binary"),
    (bytes(range(256)) * 8, "binary"),
    (b"\x00" * 1000, "binary"),
    (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 200, "binary"),
])
def test_unusable_bytes_raise_a_read_error(data, kind):
    with pytest.raises(ReadError) as info:
        decode(data)
    assert info.value.kind == kind
    assert info.value.message


def test_binary_message_names_the_format():
    with pytest.raises(ReadError, match="PNG image"):
        decode(b"\x89PNG\r\n\x1a\n" + bytes(50))


def test_html_meta_charset_is_honoured():
    page = '<html><head><meta charset="windows-1252"><title>Été</title></head><body>Hanoï</body></html>'
    d = decode(page.encode("cp1252"), html=True)
    assert "Été" in d.text and "Hanoï" in d.text and d.encoding == "cp1252"
    assert d.warnings == []  # the page said what it was


def test_html_meta_charset_ignored_for_valid_utf8():
    page = '<html><head><meta charset="iso-8859-1"></head><body>Thành phố Hồ Chí Minh</body></html>'
    assert "Hồ Chí Minh" in decode(page.encode("utf-8"), html=True).text


def test_looks_like_html():
    assert looks_like_html("<!DOCTYPE html>\n<html>")
    assert looks_like_html("  \n<!-- saved -->\n<html lang='fr'>")
    assert not looks_like_html("Le <b>gras</b> n'est pas une page.")
    assert not looks_like_html(FRENCH)


def test_valid_utf8_share():
    assert _valid_utf8_share(b"plain ascii") == 1.0
    assert _valid_utf8_share("é".encode() * 10) == 1.0
    assert _valid_utf8_share(b"\xe9" * 10) == 0.0


# -- Input.read_bytes: the size limit and unreadable paths -----------------

def test_size_limit_refuses_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: no 20 MiB written
    with pytest.raises(ReadError) as info:
        Input("big", str(big)).read_bytes()
    assert info.value.kind == "too_large"
    assert "--max-bytes" in info.value.message and str(DEFAULT_MAX_BYTES) in info.value.message


def test_size_limit_is_configurable(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"x" * 100)
    assert len(Input("a", str(f)).read_bytes(100)) == 100
    with pytest.raises(ReadError, match="99"):
        Input("a", str(f)).read_bytes(99)


def test_stdin_bytes_obey_the_limit():
    with pytest.raises(ReadError) as info:
        Input("stdin", None, data=b"x" * 11).read_bytes(10)
    assert info.value.kind == "too_large" and "stdin" in info.value.message


def test_dangling_symlink_is_unreadable(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(ReadError) as info:
        Input("gone", str(tmp_path / "gone.txt")).read_bytes()
    assert info.value.kind == "unreadable" and "No such file" in info.value.message


def test_directory_named_like_a_file_is_unreadable(tmp_path):
    (tmp_path / "x.txt").mkdir()
    with pytest.raises(ReadError, match="is a directory"):
        Input("x", str(tmp_path / "x.txt")).read_bytes()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_fifo_found_in_a_walk_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # open() would wait forever for a writer
    (item,) = list(discover([str(tmp_path)]))
    with pytest.raises(ReadError, match="not a regular file"):
        item.read_bytes()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_gives_a_read_error(tmp_path):
    f = tmp_path / "secret.txt"
    f.write_text(FRENCH)
    f.chmod(0)
    try:
        with pytest.raises(ReadError) as info:
            Input("secret", str(f)).read_bytes()
        assert info.value.kind == "unreadable" and "Permission denied" in info.value.message
    finally:
        f.chmod(0o644)


# -- discover ------------------------------------------------------------------

def _tree(root, names):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(FRENCH, encoding="utf-8")


def test_walk_is_sorted_recursive_and_filters_suffixes(tmp_path):
    _tree(tmp_path, ["b.txt", "a.TXT", "sub/c.html", "sub/d.htm", "notes.md", "z/e.txt", "img.png"])
    found = [(i.doc_id, i.format) for i in discover([str(tmp_path)])]
    assert found == [("a", "text"), ("b", "text"), ("c", "html"), ("d", "html"), ("e", "text")]


def test_walk_skips_hidden_files_and_directories(tmp_path):
    _tree(tmp_path, ["a.txt", "._a.txt", ".git/x.txt", ".cache/y.html"])
    assert [i.doc_id for i in discover([str(tmp_path)])] == ["a"]


def test_inputs_keep_the_order_given(tmp_path):
    _tree(tmp_path, ["z.txt", "a.txt", "m/b.txt"])
    order = [str(tmp_path / "z.txt"), str(tmp_path / "m"), str(tmp_path / "a.txt")]
    assert [i.doc_id for i in discover(order)] == ["z", "b", "a"]


def test_symlink_loop_is_walked_once(tmp_path):
    _tree(tmp_path, ["a.txt", "sub/b.txt"])
    (tmp_path / "sub" / "up").symlink_to(tmp_path)       # sub/up -> root: a cycle
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # a file link to itself
    items = list(discover([str(tmp_path)]))
    assert [i.doc_id for i in items] == ["a", "self", "b"]
    with pytest.raises(ReadError, match="symbolic links"):
        items[1].read_bytes()


def test_unlistable_directory_is_an_error_input(tmp_path, monkeypatch):
    _tree(tmp_path, ["ok/a.txt", "locked/b.txt"])
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(discover([str(tmp_path)]))
    assert [i.doc_id for i in items] == ["locked", "a"]
    with pytest.raises(ReadError) as info:
        items[0].read_bytes()
    assert info.value.kind == "unreadable" and "cannot list directory" in info.value.message


def test_names_with_spaces_and_accents(tmp_path):
    _tree(tmp_path, ["Nghị quyết số 57.txt", "résumé du jour.html"])
    items = list(discover([str(tmp_path)]))
    assert [i.doc_id for i in items] == ["Nghị quyết số 57", "résumé du jour"]
    assert items[0].read_bytes() == FRENCH.encode("utf-8")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_undecodable_file_name_is_shown_as_valid_unicode(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/bad\xff name.txt"
    with open(raw, "wb") as fh:
        fh.write(FRENCH.encode("utf-8"))
    (item,) = list(discover([str(tmp_path)]))
    assert item.doc_id == "bad\ufffd name"
    item.path.encode("utf-8")  # writable as JSON: no lone surrogates
    assert item.read_bytes() == FRENCH.encode("utf-8")  # and still opens the real file


def test_named_file_format_can_be_forced(tmp_path):
    _tree(tmp_path, ["page.txt", "dir/x.txt"])
    items = list(discover([str(tmp_path / "page.txt"), str(tmp_path / "dir")], fmt="html"))
    assert [(i.doc_id, i.format) for i in items] == [("page", "html"), ("x", "text")]


class _FakeStdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def test_stdin_is_read_with_its_format(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b"<html><body><p>x</p></body></html>"))
    (item,) = list(discover(["-"], fmt="html"))
    assert (item.doc_id, item.path, item.format) == ("stdin", None, "html")
    assert item.read_bytes().startswith(b"<html>")


def test_stdin_over_the_limit_is_not_read_whole(monkeypatch):
    stdin = _FakeStdin(b"x" * 1000)
    monkeypatch.setattr(sys, "stdin", stdin)
    (item,) = list(discover(["-"], max_bytes=100))
    assert stdin.buffer.tell() == 101  # one byte past the limit, no more
    with pytest.raises(ReadError) as info:
        item.read_bytes(100)
    assert info.value.kind == "too_large"
