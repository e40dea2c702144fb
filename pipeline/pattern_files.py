"""The shape of every pattern file: which keys each object in it may and must have.

pipeline/patterns.py reads a file only if it is listed here, and checks it
against its entry when it first reads it, so a misspelt key fails loudly
(naming the file, the place and the allowed keys) instead of silently
matching nothing. Keys starting with `_comment` are allowed everywhere.

A file of a language folder is listed as `<lang>/NAME`. Nested objects are
checked too: `sections` names the keys whose value is one object
(`Keys`), `items` the keys whose value is a list of objects, `entries` the
keys whose value maps names to objects. What the values mean is documented by
the module that reads them, and for users in docs/ (docs/extending.md lists
the files).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Keys:
    allowed: frozenset
    required: frozenset = frozenset()
    sections: dict = field(default_factory=dict)   # key -> Keys of the object it holds
    items: dict = field(default_factory=dict)      # key -> Keys of each object of the list it holds
    entries: dict = field(default_factory=dict)    # key -> Keys of each object of the mapping it holds


def keys(allowed, required=(), **nested) -> Keys:
    return Keys(frozenset(allowed) | frozenset(required), frozenset(required),
                **{kind: dict(value) for kind, value in nested.items()})


_RULE = keys({"month_first"}, required={"id", "template"})
_TEMPLATE = keys((), required={"id", "template"})

# The lists of labels clean.py reads. Each language folder holds its own words
# (<lang>/clean.json); patterns/clean.json holds those of no language folder.
CLEAN_WORD_LISTS = (
    "source_labels", "byline_labels", "byline_prefixes", "credit_labels", "translator_labels",
    "name_separators", "byline_stop_words", "not_bylines", "chrome_lines", "chrome_line_patterns",
    "tail_headings", "paragraph_artefacts", "abbreviations", "stamp_labels", "stamp_date_cues",
    "stamp_time_cues", "document_headers",
)

# patterns/<lang>/officials.json: every key, with what it is for (docs/officials.md explains them).
OFFICIALS_KEYS = {
    "address": "words right before a name that address a person: camarade, Genosse, Mr., đồng chí",
    "list_intro": "phrases that open a list of names: 'Camarades :', 'Attending were'",
    "articles": "articles allowed between a post and a name or between two posts: le, the, der",
    "chain_glue": "words joining two posts of one person: et, and, und, và, kiêm",
    "post_modifiers": "words that may open a post, kept in it: ancien, ehemaliger, former, nguyên",
    "plural_markers": "words right before a post that make it plural, for several names: các",
    "tail_connectors": "small words inside a post's body, never at its end: du, of the, des, của",
    "tail_words": "lower-case words a post's body may contain: provincial, populaire, people's, ủy",
    "tail_capitalized_after_head": "may a capitalised word follow the head directly (vi: Bí thư Tỉnh ủy)",
    "apposition_shared_by_list": "do titles carry no number, so that a post apposed to the last of a list of "
                                 "addressed names is each one's (vi: 'ông A, ông B, Phó Chủ tịch UBND tỉnh')",
    "stop_words": "capitalised words that end a post's body (sentence openers, weekdays)",
    "place_before": "words right before a run that make its first syllables a place: province de, pont",
    "place_after": "words right after a run that make it a place: City, -Ville, -Stadt, Mausoleum",
    "institution_before": "words shortly before a run that make it part of an institution: Académie, pensée",
    "body_words": "capitalised body names that are also family names, skipped before a name: Đoàn",
    "tail_breakers": "words that end a post's body although they fold like body words: bổ nhiệm, đối với",
    "ordinal_suffixes": "what may follow the digits of a number in a post's body: 13th, 15e, 12.",
    "predicates": "words joining a name to the post it is given: élu, was appointed, als, zum, giữ chức, là",
    "predicate_lead": "words that may come between a name and a predicate: a été, has been, wurde, được, à l'unanimité",
    "post_to_name": "words joining a post to the name after it: đối với, are, sont",
    "generic_body_words": "words that alone make no body for a head that needs one: 'member of the Party' is no post",
    "appointment_before": "words right before a name that appoint or elect it, the post given later in the clause: "
                          "chỉ định, nomination de, appointment of",
    "name_asides": "words opening a short aside between a name and its posts, skipped: born in (', born in 1965,')",
    "office_before": "words right before a post that name it as an office, given to the name after it: "
                     "le poste de, les fonctions de, the post of",
    "office_given_to": "words between such an office and the name it is given to: à, au, to",
}

PROVINCE_CUE_KEYS = ("place_cues_before", "place_cues_after", "not_place_before", "not_place_after",
                     "subunit_before", "subunit_after", "city_before", "city_after")

# manifest.json, a fact type's `store`: its tables in the store (pipeline/store/fact_tables.py)
_STORE_COLUMN = keys({"sql", "from", "convert", "description"}, required={"name"})
_STORE = keys({"order", "count", "written", "indexes", "lists", "datasette"},
              required={"table", "fact_id", "description", "columns", "mentions"},
              items={"columns": _STORE_COLUMN,
                     "lists": keys({"indexes", "datasette"}, required={"table", "description", "columns"},
                                   items={"columns": _STORE_COLUMN},
                                   sections={"datasette": keys({"label_column", "facets", "columns"})})},
              sections={"mentions": keys((), required={"table", "description"}),
                        "datasette": keys({"label_column", "facets", "columns"})})

FILES: dict[str, Keys] = {
    # -- the registry and the languages --
    "manifest.json": keys((), required={"fact_types"}, items={"fact_types": keys(
        {"extractor", "requires", "language_files", "store"},
        required={"field", "label", "value", "stage", "description", "colour", "evaluate", "fact"},
        sections={"fact": keys((), required={"required", "properties"}), "store": _STORE})}),
    # values: pipeline/registry.py; the store entry: pipeline/store/fact_tables.py
    "languages.json": keys(required={"min_letters_per_segment", "und_below_confidence",
                                     "sample_chars_per_segment"}, allowed=()),
    "<lang>/language.json": keys((), required={"name", "first_class", "order"}),
    # -- site chrome, bylines, stamps --
    "clean.json": keys(
        CLEAN_WORD_LISTS, required={"site_banners", "stamps", "date_placeholders"},
        sections={"stamps": keys((), required={"min_year", "fragments", "date_forms"},
                                 items={"date_forms": _TEMPLATE})}),
    "<lang>/clean.json": keys(CLEAN_WORD_LISTS),
    # -- document codes --
    "codes.json": keys({"not_code_before"}, required={"types", "issuers"},
                       entries={t: keys({"vi", "numbered", "bare", "loose"}, required={"label", "family"})
                                for t in ("types", "issuers")}),
    "<lang>/codes.json": keys({"not_code_before"}, required={"number_signs", "cues"}),
    # -- dates, periods, years --
    "dates.json": keys(
        (), required={"fragments", "numeric_rules", "year_inference", "periods"},
        items={"numeric_rules": _RULE},
        sections={"year_inference": keys((), required={"max_days_from_published", "two_digit_year_max_ahead",
                                                       "two_digit_year_pivot"}),
                  "periods": keys((), required={"template", "min_year", "max_year", "min_span", "max_span",
                                                "max_span_two_digit_end", "cue_window"})}),
    "<lang>/dates.json": keys(
        {"ignore_case", "accept_unaccented", "weekdays", "day_words", "ordinal_suffixes", "list_connectors",
         "range_connectors", "numeric_cues", "weak_cues", "day_parts", "weekday_joiners", "ambiguous_months",
         "fragments", "years", "periods"},
        required={"months", "rules"},
        items={"rules": _RULE},
        sections={"periods": keys({"cues", "rules"}, items={"rules": _TEMPLATE}),
                  "years": keys({"relative", "term_events", "term_references", "background_cues"}),
                  "ambiguous_months": keys({"words", "cues"})}),
    # -- the link stage (a code's issue date and body) --
    "<lang>/links.json": keys({"joiners", "articles", "number_signs", "body_joiners", "ordinal"},
                              required={"date_cues", "body_prefixes", "bodies"}),
    # -- officials --
    "<lang>/officials.json": keys(OFFICIALS_KEYS),
    # needs_body: a bare head ("membre", "Chủ tịch") is no post; bare_before_name: but it is one right
    # before a name ("Président Hô Chi Minh"); plural: the head may precede several names
    # ("Deputy Prime Ministers A and B"). The tokens of a pattern are checked by the officials extractor.
    "<lang>/titles.jsonl": keys({"label", "needs_body", "bare_before_name", "plural"}, required={"id", "pattern"}),
    # the tokenizer's punctuation rules (spaCy's, written by tools/build_token_rules.py)
    "tokenizer.json": keys({"spacy_version"}, required={"prefix", "suffix", "infix"}),
    "names/syllables.json": keys({"minority_onsets", "minority_finals"},
                                 required={"onsets", "vowels", "max_vowels", "finals"}),
    # -- provinces --
    "<lang>/provinces.json": keys(PROVINCE_CUE_KEYS),
    "province_variants.json": keys({"search_aliases"},
                                   required={"variants", "ambiguous", "centrally_run", "longer_names"}),
    "provinces.jsonl": keys({"merged_into", "merged_into_code", "variants", "ambiguous_variants", "centrally_run",
                             "longer_names", "merged_from"}, required={"id", "era", "name", "name_vi", "code"}),
}
