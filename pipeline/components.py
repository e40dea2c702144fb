"""The extractors as registered spaCy factories, for researchers' own pipelines.

    import spacy, pipeline.components  # importing registers the factories
    nlp = spacy.blank("fr")
    nlp.add_pipe("newsfacts_provinces"); nlp.add_pipe("newsfacts_codes")
    doc = nlp("la résolution n° 57-NQ/TW du Politburo ... province de Lai Chau")
    [(s.text, s.id_, s._.newsfacts_rule) for s in doc.spans["codes"]]

Each component runs the same extractor the CLI runs, on the whole doc text
(no site-chrome masking: give it clean text), and writes its facts to
`doc.spans[entity]`: one Span per mention, `span.id_` = the normalized value,
`span._.newsfacts_fact` = the fact's fields, `span._.newsfacts_rule` = the rule id.
Spans are aligned to tokens with alignment_mode="expand"; if a match cannot
be aligned it is still kept in `doc.user_data["newsfacts"]`.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .article import Article
from .facts import group_hits
from .registry import build, fact_type, run_order
from .text import fold

for _name in ("newsfacts_fact", "newsfacts_rule"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


class ExtractorComponent:
    def __init__(self, nlp: Language, name: str, entity: str, lang: str | None):
        self.name = name
        self.entity = entity
        self.lang = lang
        self.key_field = fact_type(entity).value
        self.extractor = build(fact_type(entity))

    def __call__(self, doc: Doc) -> Doc:
        state = doc.user_data.setdefault("newsfacts", {})
        article = Article(doc_id="doc", text=doc.text)
        article.masked = doc.text
        article.folded = fold(doc.text)
        article.lang = self.lang or doc.lang_
        article.facts = dict(state)  # facts of the components before this one (officials read provinces)
        hits = self.extractor.find(article)
        merge = getattr(self.extractor, "merge", None)
        facts = group_hits(hits, doc.text, self.key_field, **({"merge": merge} if merge else {}))
        state[self.entity] = facts
        spans = []
        for fact in facts:
            fields = {k: v for k, v in fact.items() if k != "mentions"}
            for mention in fact["mentions"]:
                span = doc.char_span(mention["start"], mention["end"], label=self.entity,
                                     span_id=str(fact[self.key_field]), alignment_mode="expand")
                if span is None:
                    continue
                span._.newsfacts_fact = fields
                span._.newsfacts_rule = mention["rule"]
                spans.append(span)
        doc.spans[self.entity] = spans
        return doc


def _register(entity: str) -> None:
    name = f"newsfacts_{entity}"

    @Language.factory(name, default_config={"lang": None})
    def make(nlp: Language, name: str, lang: str | None):
        return ExtractorComponent(nlp, name, entity, lang)


for _fact_type in run_order():   # the fact types with an extractor (patterns/manifest.json)
    _register(_fact_type.field)
