"""Records built in a test, valid against the record schema, for export, stats and review tests.

    record("a1", "Nghị quyết 57-NQ/TW ... Bắc Giang ...", lang="vi",
           codes=[code("57-NQ/TW", "NQ", "resolution", issued="2024-12-22")],
           provinces=[province("Bac Giang", "Bac Ninh", written="Bắc Giang")])

Each fact names how it is written in the text; every occurrence becomes a mention
(offsets, text, rule, and the line it sits on as its sentence).
"""
from __future__ import annotations

import hashlib

from pipeline.registry import fact_types


def _fact(written: str | list[str], rule: str, **fields) -> dict:
    forms = [written] if isinstance(written, str) else list(written)
    return {**fields, "_written": forms, "_rule": rule}


def code(value: str, type_: str | None, label: str | None, issued: str | None = None, written: str | None = None,
         family: str = "party") -> dict:
    number, _, issuer = value.replace("/", "-").partition("-")
    return _fact(written or value, "codes.any.party", code=value, number=number, year=None, family=family, type=type_,
                 type_label=label, issuer=issuer.rsplit("-", 1)[-1], issuer_label=None, issued=issued, issued_by=None)


def date(value: str, written: str, year_inferred: bool = False) -> dict:
    return _fact(written, "dates.any.numeric", value=value, year_inferred=year_inferred)


def period(value: str, written: str | None = None) -> dict:
    start, end = value.split("-")
    return _fact(written or value, "periods.any.year_dash_year", value=value, start=int(start), end=int(end))


def official(name: str, written: str, posts: list[str] = (), post_types: list[str] = (), province: str | None = None) -> dict:
    return _fact(written, "officials.any.title_name", name=name, key=name.lower(), posts=list(posts),
                 post_types=list(post_types), province=province)


def province(name: str, merged_into: str, written: str | None = None, code: str = "24") -> dict:
    return _fact(written or name, "provinces.any.gazetteer", name=name, name_vi=name, code=code, merged_into=merged_into,
                 merged_into_code=code)


def author(name: str, written: str) -> dict:
    return _fact(written, "authors.any.byline", name=name)


def _mentions(text: str, forms: list[str], rule: str) -> list[dict]:
    mentions = []
    for form in forms:
        start = text.find(form)
        assert start >= 0, f"{form!r} is not in the test text"
        while start >= 0:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            mentions.append({"start": start, "end": start + len(form), "text": form, "rule": rule,
                             "sentence": [line_start, line_end]})
            start = text.find(form, start + len(form))
    return sorted(mentions, key=lambda m: m["start"])


def record(doc_id: str, text: str, lang: str = "fr", published: str | None = None, title: str | None = None,
           url: str | None = None, warnings: list[str] = (), **facts) -> dict:
    """A whole record; `facts` maps a record field (codes, dates...) to facts made by the helpers above."""
    out = {"schema_version": 1, "doc_id": doc_id,
           "source": {"path": f"in/{doc_id}.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(), "url": url,
                      "publisher": None, "format": "text", "encoding": "utf-8"},
           "title": title, "published": published, "authors": [],
           "language": {"code": lang, "confidence": 0.99, "segments": []}}
    for fact_type in fact_types():
        built = []
        for fact in facts.pop(fact_type.field, []):
            fact = dict(fact)
            forms, rule = fact.pop("_written"), fact.pop("_rule")
            built.append({**fact, "mentions": _mentions(text, forms, rule)})
        out[fact_type.field] = built
    assert not facts, f"unknown fact fields: {sorted(facts)}"
    out["warnings"] = list(warnings)
    out["text"] = text
    return out


def error_record(doc_id: str, kind: str, message: str) -> dict:
    return {"schema_version": 1, "doc_id": doc_id, "source": {"path": f"in/{doc_id}.txt", "sha256": None},
            "error": {"kind": kind, "message": message}, "warnings": []}


def news_records() -> list[dict]:
    """Seven articles in four languages: two cite the same documents and name the same official,
    two name parts of one merged province, one is undated, one has no facts, two failed."""
    vi = ("Hà Nội, 12/3/2025 - Ban Thường vụ Tỉnh ủy Bắc Giang quán triệt Nghị quyết số 57-NQ/TW ngày 22/12/2024 "
          "của Bộ Chính trị.\nĐồng chí Nguyễn Văn Gấu, Bí thư Tỉnh ủy Bắc Giang, yêu cầu triển khai Nghị quyết "
          "57-NQ/TW trong giai đoạn 2025-2030.\nTỉnh Bắc Ninh cũng tham dự.")
    fr = ("Le Comité provincial du Parti de Lai Chau met en œuvre la conclusion n° 148-KL/TW du 8 avril 2025.\n"
          "Le secrétaire Lê Hoài Trung a rappelé la résolution 57-NQ/TW et le 3 mai.")
    de = ("Das Parteikomitee der Provinz Ben Tre setzt die Resolution 57-NQ/TW und den Beschluss 55/QĐ-BXD um.\n"
          "Am 9. Mai sprach Trần Thanh Lâm über den Zeitraum 2021-2025 und 2025-2030.")
    en = ("The Hoa Binh Provincial Party Committee reviewed Directive 05-CT/TW on May 2, 2025.\n"
          "Secretary Nguyen Van Gau of Bac Giang attended; Directive 05-CT/TW remains in force.\nBy Minh Anh")
    return [
        record("a1-vi", vi, lang="vi", published="2025-03-12", title="Bắc Giang quán triệt Nghị quyết 57",
               url="https://baobacgiang.vn/a1.html",
               codes=[code("57-NQ/TW", "NQ", "resolution", issued="2024-12-22")],
               dates=[date("2025-03-12", "12/3/2025"), date("2024-12-22", "22/12/2024")],
               periods=[period("2025-2030")],
               officials=[official("Nguyen Van Gau", "Nguyễn Văn Gấu", ["Bí thư Tỉnh ủy Bắc Giang"],
                                   ["provincial_party_secretary"], "Bac Giang")],
               provinces=[province("Bac Giang", "Bac Ninh", "Bắc Giang"), province("Bac Ninh", "Bac Ninh", "Bắc Ninh")]),
        record("a2-fr", fr, lang="fr", published="2025-05-23", title="Lai Chau met en œuvre la conclusion 148",
               codes=[code("148-KL/TW", "KL", "conclusion", issued="2025-04-08"),
                      code("57-NQ/TW", "NQ", "resolution")],
               dates=[date("2025-04-08", "8 avril 2025"), date("2025-05-03", "3 mai", year_inferred=True)],
               officials=[official("Le Hoai Trung", "Lê Hoài Trung", ["secrétaire"], ["secretary"])],
               provinces=[province("Lai Chau", "Lai Chau", code="12")],
               warnings=["dates: no year for '3 mai' (the year of publication was used)"]),
        record("a3-de", de, lang="de", title=None,
               codes=[code("57-NQ/TW", "NQ", "resolution"),
                      code("55/QD-BXD", "QD", "decision", written="55/QĐ-BXD", family="state")],
               dates=[date("2025-05-09", "9. Mai", year_inferred=True)],
               periods=[period("2021-2025"), period("2025-2030")],
               officials=[official("Tran Thanh Lam", "Trần Thanh Lâm")],
               provinces=[province("Ben Tre", "Vinh Long", code="83")],
               warnings=["dates: no year for '9. Mai' (no publication date, no year in the sentence)",
                         "code 57-NQ/TW: the cue word 'Beschluss' before it suggests QD, the code says NQ"]),
        record("a4-en", en, lang="en", published="2025-05-02", title="Hoa Binh reviews Directive 05",
               url="https://example.vn/a4",
               codes=[code("05-CT/TW", "CT", "directive", issued="2016-05-15")],
               dates=[date("2025-05-02", "May 2, 2025")],
               officials=[official("Nguyen Van Gau", "Nguyen Van Gau", ["Secretary"], ["secretary"], "Bac Giang")],
               provinces=[province("Hoa Binh", "Phu Tho", code="17"), province("Bac Giang", "Bac Ninh")],
               authors=[author("Minh Anh", "Minh Anh")]),
        record("a5-en", "Weather was mild in the capital on Sunday.", lang="en", published="2024-12-01",
               title="Mild weather"),
        error_record("a6-broken", "decode", "not text: 3 NUL bytes in the first 4096"),
        error_record("a7-slow", "timeout", "the article took longer than 10 s"),
    ]
