"""The extractors as spaCy factories in a researcher's own pipeline."""
import spacy

import pipeline.components  # noqa: F401  (registers the factories)


def test_factories_fill_doc_spans():
    nlp = spacy.blank("fr")
    nlp.add_pipe("newsfacts_provinces")
    nlp.add_pipe("newsfacts_codes")
    doc = nlp("Concernant la résolution n° 57-NQ/TW, le Comité provincial du Parti de Son La a publié un plan.")
    codes = [(s.text, s.id_, s._.newsfacts_rule, s._.newsfacts_fact["type"]) for s in doc.spans["codes"]]
    assert codes == [("57-NQ/TW", "57-NQ/TW", "codes.any.party", "NQ")]
    assert [(s.text, s.id_) for s in doc.spans["provinces"]] == [("Son La", "Son La")]


def test_config_language_overrides_doc_language():
    nlp = spacy.blank("xx")
    nlp.add_pipe("newsfacts_codes", config={"lang": "de"})
    doc = nlp("Richtlinie Nr. 45-NQ/TW des Politbüros")
    assert [s.id_ for s in doc.spans["codes"]] == ["45-NQ/TW"]
