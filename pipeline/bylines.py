"""Bylines: which words of a byline are the names of the article's authors.

Pages print a byline in several ways -- after a label (`Texte et photos : Thu
Huyen`, `By Minh Anh—Translated by Thu Ha`), alone on its line (`Van Lang`
before `Quelle:`), or in front of the date stamp (`Vương Trần (báo lao động)
29/06/2025`). Whatever the layout, the words in that position are read here:

* the translator's part is cut off (the translator is not an author);
* an outlet in parentheses, `/VNA`, abbreviations such as `PV`, `NDO`,
  `TTXVN`, a paper's name (`Báo Lâm Đồng`), a place or a section heading
  are allowed but are nobody;
* what is left is split at the separators between two names (`,`, ` - `,
  `và`, `and` ...), and each piece is classified.

The caller decides how much to trust a piece: after a label any capitalised
name will do (`By John Smith`); a name with no label must have the shape of a
Vietnamese name (every word a Vietnamese syllable, 2-4 of them), which is what
keeps a truncated line (`Provinzparteisekretär Vu Dai T`) or site furniture
(`Other Stories`) out. All the words involved are in patterns/clean.json and the
language folders' clean.json; the syllable shape is patterns/names/syllables.json.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum

import regex

from .extract.names import byline_syllable
from .patterns import language_codes, language_file, read_lines
from .text import DASH, alternation, fold, fold_key, fold_name

MIN_SHAPED_WORDS, MAX_SHAPED_WORDS = 2, 4   # a Vietnamese name without a label: 2-4 syllables
MAX_LABELLED_WORDS = 5
MAX_BYLINE_CHARS = 120    # several names, outlets and a translator credit fit; a paragraph does not

# One word of a name: a capital and lower-case letters (Thu, Hằng, Minh-Anh),
# a word in capitals (THANH DUY), or an initial (N. Hải, N.Hải).
_WORD = regex.compile(r"\p{Lu}(?:[\p{Ll}\p{M}'’]*(?:-\p{Lu}?[\p{Ll}\p{M}]+)*|[\p{Lu}\p{M}]+)")
_INITIAL = regex.compile(r"\p{Lu}\.")
# Letters, digits and marks an outlet's abbreviation may hold (TTXVN, Vietnam+, VnExpress).
_OUTLET_TOKEN = regex.compile(r"[\p{L}\p{N}\p{M}+.&'’-]+")
_PARENTHESES = regex.compile(r"\([^()\n]{0,80}\)")


class Kind(Enum):
    NAME = "name"            # a person's name
    SHAPELESS = "shapeless"  # capitalised words without a Vietnamese name's shape (John Smith, Provincial News)
    OTHER = "other"          # an outlet, abbreviation, place or heading: allowed in a byline, nobody
    TEXT = "text"            # running text (lower-case words, numbers): not a byline at all


@dataclass(frozen=True)
class Piece:
    kind: Kind
    start: int      # offsets into the string that was read
    end: int
    words: int      # words of the name, initials not counted

    def name(self, text: str) -> str:
        """The canonical form: diacritics removed, single spaces, a name in capitals in title case."""
        written = text[self.start:self.end]
        return fold_name(written.title() if written.isupper() else written)


class NameReader:
    def __init__(self, cfg: dict, syllables: dict | None = None):
        # The syllable shape is patterns/names/syllables.json, as for the officials' names
        # (`syllables`: that file's data, to read bylines with another shape).
        self._syllable = regex.compile(byline_syllable(syllables))
        self._stop_words = {_lower(w) for w in cfg.get("byline_stop_words", ())}
        self._nobody = ({fold_key(x) for x in cfg.get("not_bylines", ())}
                        | {fold_key(p) for p in read_lines("names/places.txt")})
        # The document types of every language (patterns/<lang>/codes.json cues): a heading in
        # capitals that opens with one ("QUY ĐỊNH", "KẾT LUẬN HỘI NGHỊ") has a name's shape but
        # names a document, never its author.
        self._document_types = {tuple(fold_key(cue).split()) for lang in language_codes()
                                for cue in (language_file(lang, "codes.json") or {}).get("cues", {})}
        self._longest_type = max(map(len, self._document_types), default=0)
        translators = alternation(cfg.get("translator_labels", ())) or "(?!)"
        self._translator = regex.compile(rf"(?:^|(?<=[\s,;:(]|{DASH}))(?:{translators})(?!\w)", regex.IGNORECASE)
        # Separators: punctuation anywhere; a hyphen and words ("và", "and") only between spaces,
        # since a hyphen also joins the parts of one name (Minh-Anh).
        spaced = [s for s in cfg.get("name_separators", ()) if s == "-" or s.isalpha()]
        bare = [s for s in cfg.get("name_separators", ()) if s not in spaced]
        self._separator = regex.compile(
            r"\s*(?:" + alternation(bare) + r")\s*|\s+(?:" + alternation(spaced) + r")\s+|" + _PARENTHESES.pattern,
            regex.IGNORECASE)

    def read(self, text: str, start: int = 0, end: int | None = None) -> list[Piece]:
        """The pieces of the byline text[start:end]; the translator's part is left out."""
        end = len(text) if end is None else end
        if end - start > MAX_BYLINE_CHARS:
            return [Piece(Kind.TEXT, start, end, 0)]   # a paragraph, not a byline
        translator = self._translator.search(text, start, end)
        if translator:
            end = translator.start()
        pieces, pos = [], start
        for sep in self._separator.finditer(text, start, end):
            pieces.append(self._piece(text, pos, sep.start()))
            pos = sep.end()
        pieces.append(self._piece(text, pos, end))
        return [p for p in pieces if p is not None]

    def _piece(self, text: str, start: int, end: int) -> Piece | None:
        raw = text[start:end]
        stripped = raw.strip(" \t\u00a0")
        if not stripped:
            return None
        start += len(raw) - len(raw.lstrip(" \t\u00a0"))
        end = start + len(stripped)
        # "N.Hải" is the initial N. and the word Hải; "TP." is the word TP.
        tokens = stripped.replace(".", ". ").split()
        words = [t.rstrip(".") for t in tokens if not _INITIAL.fullmatch(t)]
        if not words or not all(words):
            return Piece(Kind.TEXT, start, end, 0)
        if not all(_WORD.fullmatch(w) for w in words):
            # One token that is no name word but could be an outlet's: "Vietnam+", "VnExpress".
            kind = Kind.OTHER if len(tokens) == 1 and _OUTLET_TOKEN.fullmatch(stripped) and stripped[0].isupper() \
                else Kind.TEXT
            return Piece(kind, start, end, len(words))
        if (fold_key(stripped) in self._nobody or any(_lower(w) in self._stop_words for w in words)
                or any(self._abbreviation(w, len(words)) for w in words) or self._document_type(words)):
            return Piece(Kind.OTHER, start, end, len(words))
        shaped = (MIN_SHAPED_WORDS <= len(words) <= MAX_SHAPED_WORDS and not _INITIAL.fullmatch(tokens[-1])
                  and all(self._is_syllable(part) for w in words for part in w.split("-")))
        if shaped:
            return Piece(Kind.NAME, start, end, len(words))
        return Piece(Kind.SHAPELESS if len(words) <= MAX_LABELLED_WORDS else Kind.TEXT, start, end, len(words))

    def _document_type(self, words: list[str]) -> bool:
        """Whether the words open with a document type of any language ("QUYẾT ĐỊNH", "Nghị quyết")."""
        folded = tuple(fold_key(" ".join(words)).split())
        return any(folded[:n] in self._document_types for n in range(1, min(len(folded), self._longest_type) + 1))

    def _is_syllable(self, word: str) -> bool:
        return self._syllable.fullmatch(fold(word).lower()) is not None

    def _abbreviation(self, word: str, words: int) -> bool:
        # PV, NDO, TTXVN, VNA: capitals that are no syllable; one word in capitals alone is one too.
        return len(word) >= 2 and word.isupper() and (words == 1 or not self._is_syllable(word))


def _lower(word: str) -> str:
    return unicodedata.normalize("NFC", word).lower()
