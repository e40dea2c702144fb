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

from ..article import Article
from ..facts import Hit
from ..patterns import LANGUAGES, lang_file, load_jsonl, patterns_dir
from ..text import fold
from ..tokens import longest_matches, make_doc, shared_nlp

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
        self.match_rows = {}  # match id -> (row, ambiguous)
        for row in load_jsonl("provinces.jsonl"):
            if row["era"] != "old":
                continue
            self.rows[row["id"]] = row
            self.matcher.add(row["id"], [make_doc(fold(v)) for v in row["variants"]])
            self.match_rows[self.nlp.vocab.strings[row["id"]]] = (row, False)
            if row["ambiguous_variants"]:
                self.matcher.add(row["id"] + "?", [make_doc(fold(v)) for v in row["ambiguous_variants"]])
                self.match_rows[self.nlp.vocab.strings[row["id"] + "?"]] = (row, True)
        self.surnames = load_surnames()
        self.context = {}
        for lang in LANGUAGES:
            cfg = lang_file(lang, "provinces.json") or {}
            self.context[lang] = {key: [tuple(fold(w).lower().split()) for w in cfg.get(key, [])]
                                  for key in ("place_cues_before", "not_place_before", "not_place_after")}
        # A language without its own context file still gets every language's negative cues.
        self.any_lang = {key: sorted({w for c in self.context.values() for w in c[key]})
                         for key in ("place_cues_before", "not_place_before", "not_place_after")}
        # The same cue lists ready for str.endswith / str.startswith (see _Context).
        self._contexts = {lang: _Context(c) for lang, c in self.context.items()}
        self._any_context = _Context(self.any_lang)

    def find(self, article: Article) -> list[Hit]:
        doc = article.doc
        text = article.text
        context = self._contexts.get(article.lang, self._any_context)
        hits = []
        for match_id, start, end in longest_matches(self.matcher(doc)):  # "Ba Ria - Vung Tau" over "Vung Tau"
            first = doc[start]
            if not text[first.idx].isupper():
                continue  # "hue" the colour, not Hué the city
            if self._is_person(text, doc, start):
                continue
            before = " " + " ".join(_words(doc, max(0, start - _WINDOW), start))
            if before.endswith(context.not_place_before):
                continue
            if context.not_place_after:  # (else the words after need not be read)
                after = " ".join(_words(doc, end, min(len(doc), end + _WINDOW))) + " "
                if after.startswith(context.not_place_after):
                    continue
            row, ambiguous = self.match_rows[match_id]
            if ambiguous and not before.endswith(context.place_cues_before):
                continue
            last = doc[end - 1]
            rule = "provinces.gazetteer.context" if ambiguous else "provinces.gazetteer"
            hits.append(Hit(row["name"], first.idx, last.idx + len(last), rule, {
                "name_vi": row["name_vi"], "code": row["code"],
                "merged_into": row["merged_into"], "merged_into_code": row["merged_into_code"],
            }))
        return hits

    def _is_person(self, text: str, doc, start: int) -> bool:
        """True when the capitalised words right before the match start with a family name."""
        for i in range(start - 1, max(-1, start - 4), -1):
            token = doc[i]
            if not token.is_alpha or not text[token.idx].isupper():
                return False
            if token.lower_ in self.surnames:
                return True
        return False


class _Context:
    """Cue phrases of one language, ready for one str.endswith / str.startswith each.

    The words before a match, joined with spaces and with a space put in front,
    end with " " + phrase exactly when they are the phrase or end with it as
    whole words; likewise for the words after, with a space put behind.
    """

    def __init__(self, cues: dict):
        def joined(key):
            return [" ".join(p) for p in cues[key] if p]
        self.place_cues_before = tuple(" " + p for p in joined("place_cues_before"))
        self.not_place_before = tuple(" " + p for p in joined("not_place_before"))
        self.not_place_after = tuple(p + " " for p in joined("not_place_after"))


def _words(doc, start: int, end: int) -> list[str]:
    """The lower-case words of doc[start:end], white space left out."""
    words = []
    for i in range(start, end):
        token = doc[i]
        if not token.is_space:
            words.append(token.lower_)
    return words
