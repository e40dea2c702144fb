"""Provinces: the 63 pre-2025 provinces and cities, found with a spaCy PhraseMatcher.

The gazetteer (patterns/provinces.jsonl, built by tools/build_gazetteer.py)
gives every spelling; they are matched on the lower-cased, diacritic-folded
tokens of the article, so `Hòa Bình`, `Hoa Binh` and `HOA BINH` are one
pattern. Each pattern's match id is the province's row id, so normalizing
is reading the id. Three context checks (data in patterns/<lang>/provinces.json)
then drop what is not a place: a person's name (`Nguyen Hoa Binh`), a
newspaper (`journal Son La`), and the person or ideology Ho Chi Minh.
"""
from __future__ import annotations

from spacy.matcher import PhraseMatcher
from spacy.util import filter_spans

from ..article import Article
from ..facts import Hit
from ..patterns import LANGUAGES, lang_file, load_jsonl, patterns_dir
from ..text import fold
from ..tokens import make_doc, shared_nlp

_WINDOW = 4  # tokens looked at on each side for context


def load_surnames() -> frozenset[str]:
    path = patterns_dir() / "names" / "surnames.txt"
    if not path.is_file():
        return frozenset()
    words = (line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(fold(w).lower() for w in words if w)


class ProvincesExtractor:
    entity = "provinces"
    key_field = "name"

    def __init__(self):
        self.nlp = shared_nlp()
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.rows = {}
        for row in load_jsonl("provinces.jsonl"):
            if row["era"] != "old":
                continue
            self.rows[row["id"]] = row
            self.matcher.add(row["id"], [make_doc(fold(v)) for v in row["variants"]])
            if row["ambiguous_variants"]:
                self.matcher.add(row["id"] + "?", [make_doc(fold(v)) for v in row["ambiguous_variants"]])
        self.surnames = load_surnames()
        self.context = {}
        for lang in LANGUAGES:
            cfg = lang_file(lang, "provinces.json") or {}
            self.context[lang] = {key: [tuple(fold(w).lower().split()) for w in cfg.get(key, [])]
                                  for key in ("place_cues_before", "not_place_before", "not_place_after")}
        # A language without its own context file still gets every language's negative cues.
        self.any_lang = {key: sorted({w for c in self.context.values() for w in c[key]})
                         for key in ("place_cues_before", "not_place_before", "not_place_after")}

    def find(self, article: Article) -> list[Hit]:
        doc = article.doc
        spans = []
        for match_id, start, end in self.matcher(doc):
            span = doc[start:end]
            span.label_ = self.nlp.vocab.strings[match_id]
            spans.append(span)
        context = self.context.get(article.lang, self.any_lang)
        hits = []
        for span in filter_spans(spans):  # longest match wins: "Ba Ria - Vung Tau" over "Vung Tau"
            label = span.label_
            ambiguous = label.endswith("?")
            row = self.rows[label.rstrip("?")]
            if not article.text[span.start_char].isupper():
                continue  # "hue" the colour, not Hué the city
            if self._is_person(article, span):
                continue
            before = _words_before(doc, span.start)
            after = _words_after(doc, span.end)
            if _ends_with_any(before, context["not_place_before"]) or _starts_with_any(after, context["not_place_after"]):
                continue
            if ambiguous and not _ends_with_any(before, context["place_cues_before"]):
                continue
            rule = "provinces.gazetteer.context" if ambiguous else "provinces.gazetteer"
            hits.append(Hit(row["name"], span.start_char, span.end_char, rule, {
                "name_vi": row["name_vi"], "code": row["code"],
                "merged_into": row["merged_into"], "merged_into_code": row["merged_into_code"],
            }))
        return hits

    def _is_person(self, article: Article, span) -> bool:
        """True when the capitalised words right before the match start with a family name."""
        doc = span.doc
        i = span.start - 1
        steps = 0
        while i >= 0 and steps < 3:
            token = doc[i]
            if not token.is_alpha or not article.text[token.idx].isupper():
                return False
            if token.lower_ in self.surnames:
                return True
            i -= 1
            steps += 1
        return False


def _words_before(doc, start: int) -> tuple[str, ...]:
    return tuple(t.lower_ for t in doc[max(0, start - _WINDOW):start] if not t.is_space)


def _words_after(doc, end: int) -> tuple[str, ...]:
    return tuple(t.lower_ for t in doc[end:end + _WINDOW] if not t.is_space)


def _ends_with_any(words: tuple[str, ...], phrases) -> bool:
    joined = " ".join(words)
    return any(joined == " ".join(p) or joined.endswith(" " + " ".join(p)) for p in phrases if p)


def _starts_with_any(words: tuple[str, ...], phrases) -> bool:
    joined = " ".join(words)
    return any(joined == " ".join(p) or joined.startswith(" ".join(p) + " ") for p in phrases if p)
