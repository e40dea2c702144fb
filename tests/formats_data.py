"""Record files for the tests, written at test time: JSON Lines, CSV, Parquet, WARC.

The articles are short news sentences written for these tests, in the four
languages; each has a document code, a province and a day without a year, so
a publication date given in the row visibly changes the dates found.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

ARTICLES = {
    "fr": "Le 14 juin, le Comité provincial du Parti de Hoa Binh a examiné l'application de la résolution "
          "n° 57-NQ/TW du Politburo sur la science et la technologie.\n",
    "de": "Am 3. März prüfte das Parteikomitee der Provinz Lang Son die Umsetzung der Resolution Nr. 18-NQ/TW "
          "des Politbüros zur Straffung des Apparats.\n",
    "en": "On March 3, the Party Committee of Lang Son province reviewed the implementation of Resolution "
          "No. 18-NQ/TW of the Politburo on streamlining the apparatus.\n",
    "vi": "Ngày 14/6, Ban Thường vụ Tỉnh ủy Hòa Bình đã xem xét việc thực hiện Nghị quyết số 57-NQ/TW của "
          "Bộ Chính trị về phát triển khoa học, công nghệ.\n",
}
PUBLISHED = "2025-06-20"


def rows() -> list[dict]:
    """One row per language: id, text, url, published."""
    return [{"id": f"{lang}-1", "text": text, "url": f"https://news.example.vn/{lang}/1", "published": PUBLISHED}
            for lang, text in ARTICLES.items()]


def page(title: str, body: str) -> str:
    """A news page as a site would serve it: navigation, the article, a footer."""
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(3))
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
            f"<nav><a href=\"/\">Accueil</a> <a href=\"/politique\">Politique</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article><footer>© Journal</footer></body></html>")


def write_jsonl(path: Path, records: list, gz: bool = False) -> Path:
    """Each item a dict (written as JSON) or bytes (written as they are: bad lines)."""
    data = b"".join(item if isinstance(item, bytes) else json.dumps(item, ensure_ascii=False).encode() + b"\n"
                    for item in records)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def write_csv(path: Path, header: list[str], records: list[list], delimiter: str = ",") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(records)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def write_parquet(path: Path, columns: dict, row_group_size: int | None = None) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns), path, row_group_size=row_group_size)
    return path


def warc_records(writer, items: list[tuple]) -> None:
    """items: (kind, url, content_type, payload bytes[, status]) with kind response/resource/request."""
    from warcio.statusandheaders import StatusAndHeaders

    for item in items:
        kind, url, content_type, payload = item[:4]
        status = item[4] if len(item) > 4 else "200 OK"
        if kind == "response":
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http)
        elif kind == "request":
            http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.vn")], is_http_request=True)
            record = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=http)
        else:
            record = writer.create_warc_record(url, kind, payload=io.BytesIO(payload),
                                               warc_content_type=content_type)
        writer.write_record(record)


def write_warc(path: Path, items: list[tuple], gz: bool = True, info: bool = True) -> Path:
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        if info:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsfacts tests"}))
        warc_records(writer, items)
    return path
