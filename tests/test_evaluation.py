"""The accuracy figures on the labelled Dutch sets must not regress below the targets."""

from pathlib import Path

import pytest

from pii_pipeline.evaluation import evaluate, load_labelled, parse_annotated, score_documents

DATA = Path(__file__).resolve().parent / "data"

# Targets from the detection issue; the sets in tests/data reach them today.
STRICT_RECALL_099 = {"NL_BSN", "IBAN_CODE", "EMAIL_ADDRESS"}
F1_095 = {"PHONE_NUMBER", "NL_POSTCODE", "DATE_OF_BIRTH", "NL_AGB", "NL_UZOVI", "NL_ID_DOCUMENT", "NL_BIG",
          "ADDRESS", "LOCATION", "PERSON"}


@pytest.fixture(scope="module", params=["eval_nl.txt", "holdout_nl.txt"])
def report(request, detector):
    return evaluate(detector, load_labelled(DATA / request.param))["strict"]


def test_high_stakes_identifiers(report):
    for name in STRICT_RECALL_099:
        c = report.per_entity[name]
        assert c.recall >= 0.99 and c.precision >= 0.98, (name, c.as_dict())


def test_f1_per_entity(report):
    for name in F1_095 & set(report.per_entity):
        assert report.per_entity[name].f1 >= 0.95, (name, report.per_entity[name].as_dict())


def test_micro_and_any_pii(report):
    assert report.micro.f1 >= 0.95, report.micro.as_dict()
    assert report.any_pii_recall >= 0.98


def test_scoring_counts():
    text, gold = parse_annotated("[[PERSON:Jan]] en [[NL_BSN:123456782]]")
    from pii_pipeline.evaluation import LabelledDoc

    doc = LabelledDoc("d", text, gold)
    strict = score_documents([doc], [[("PERSON", 0, 3), ("NL_BSN", 7, 15)]], "strict")
    assert (strict.micro.tp, strict.micro.fp, strict.micro.fn) == (1, 1, 1)
    overlap = score_documents([doc], [[("PERSON", 0, 3), ("NL_BSN", 7, 15)]], "overlap")
    assert (overlap.micro.tp, overlap.micro.fp, overlap.micro.fn) == (2, 0, 0)


def test_a_document_opening_with_a_markdown_heading_is_not_a_comment(tmp_path):
    """Only a block whose every line starts with '#' is a comment; a Markdown note is a document."""
    f = tmp_path / "set.txt"
    f.write_text("# a header comment\n# second line\n---\n## Samenvatting MDO\nClient [[PERSON:Jan Smit]].\n"
                 "---\n# only a comment\n", encoding="utf-8")
    docs = load_labelled(f)
    assert len(docs) == 1 and docs[0].text.startswith("## Samenvatting") and len(docs[0].spans) == 1


def test_coverage_worked_example():
    """Hand-worked: 'Jansen-de Wit' (13 chars) found as 'Jansen' (6) covers 6/13; the BSN
    (9 chars) found whole covers 1; a PERSON 'Jan' (3) found as LOCATION covers 0 (wrong type).
    PERSON: (6/13 + 0) / 2; NL_BSN: 1; overall: (6/13 + 1 + 0) / 3."""
    from pii_pipeline.evaluation import LabelledDoc

    text, gold = parse_annotated("Mevrouw [[PERSON:Jansen-de Wit]], BSN [[NL_BSN:123456782]], zoon [[PERSON:Jan]].")
    doc = LabelledDoc("d", text, gold)
    predicted = [("PERSON", 8, 14), ("NL_BSN", 27, 36), ("LOCATION", 43, 46), ("PERSON", 0, 3)]
    assert text[8:14] == "Jansen" and text[27:36] == "123456782" and text[43:46] == "Jan"
    for mode in ("strict", "overlap"):
        r = score_documents([doc], [predicted], mode)
        assert r.per_entity["PERSON"].coverage == pytest.approx((6 / 13 + 0) / 2)
        assert r.per_entity["NL_BSN"].coverage == 1.0
        assert r.micro.coverage == pytest.approx((6 / 13 + 1 + 0) / 3)
        assert r.as_dict()["entities"]["PERSON"]["coverage"] == round((6 / 13) / 2, 4)
    # overlapping predictions are not counted twice
    r = score_documents([doc], [[("PERSON", 8, 14), ("PERSON", 10, 21)]])
    assert r.per_entity["PERSON"].coverage == pytest.approx((13 / 13 + 0) / 2)


# Floors on the independent set (tests/data/external_nl.txt, written without reading the
# recognizers), at the targets (strict matching): every entity F1 >= 0.97, micro F1
# >= 0.985, any-PII recall >= 0.99, PERSON coverage >= 0.97.  NL_MEMBER_NUMBER is floored at
# 0.96: the set leaves a hospital's "Patiëntnummer: 3849201" unlabelled, which we mask as a
# member number on purpose (it identifies the patient; fail closed).
EXTERNAL_FLOOR = 0.97
EXTERNAL_FLOORS = {"NL_MEMBER_NUMBER": 0.96}


@pytest.fixture(scope="module")
def external(detector):
    return {
        name: evaluate(detector, load_labelled(DATA / name))["strict"]
        for name in ("external_nl.txt", "external_nl_unlisted.txt")
    }


def test_external_set_floors(external):
    report = external["external_nl.txt"]
    for name, counts in report.per_entity.items():
        assert counts.f1 >= EXTERNAL_FLOORS.get(name, EXTERNAL_FLOOR), (name, counts.as_dict())
    assert report.micro.f1 >= 0.985, report.micro.as_dict()
    assert report.any_pii_recall >= 0.99
    assert report.per_entity["PERSON"].coverage >= 0.97, report.per_entity["PERSON"].as_dict()


def test_second_external_set_floors(detector):
    """tests/data/external_nl2.txt (written independently, then used to develop the second round of
    rules): floors at the figures reached (strict): every entity F1 >= 0.98, micro F1 >= 0.995,
    any-PII recall >= 0.995, PERSON coverage >= 0.995."""
    report = evaluate(detector, load_labelled(DATA / "external_nl2.txt"))["strict"]
    for name, counts in report.per_entity.items():
        assert counts.f1 >= 0.98, (name, counts.as_dict())
    assert report.micro.f1 >= 0.995, report.micro.as_dict()
    assert report.any_pii_recall >= 0.995
    assert report.per_entity["PERSON"].coverage >= 0.995, report.per_entity["PERSON"].as_dict()


def test_third_set_floors_as_development_set(detector):
    """tests/data/external_nl3.txt was held out during the second round, then became the development
    set of the third (tests/test_labels_round4.py): floors at the figures reached (strict): every
    entity F1 >= 0.967 (LOCATION 0.967: foreign places after a bare 'in'), micro F1 >= 0.9865,
    any-PII recall >= 0.98, PERSON coverage >= 0.976."""
    report = evaluate(detector, load_labelled(DATA / "external_nl3.txt"))["strict"]
    for name, counts in report.per_entity.items():
        assert counts.f1 >= 0.967, (name, counts.as_dict())
    assert report.micro.f1 >= 0.9865, report.micro.as_dict()   # 0.987 after the e-mail fix (0.985 before)
    assert report.any_pii_recall >= 0.98
    assert report.per_entity["PERSON"].coverage >= 0.976, report.per_entity["PERSON"].as_dict()


def test_fourth_set_floors_as_development_set(detector):
    """tests/data/external_nl4.txt (written blind, held out during the third round: measured once after
    it, micro F1 0.912) became the development set of the fourth (tests/test_labels_round5.py): floors
    at the figures reached (strict): every entity F1 >= 0.976 (postcode 0.977 and phone 0.981: each one
    span whose edge the set draws otherwise: brackets inside a phone number, unlike external_nl..3 and
    its own other numbers; ``NL-`` outside a postcode, which the detector includes), micro F1
    >= 0.989, any-PII recall >= 0.992, PERSON coverage >= 0.983."""
    report = evaluate(detector, load_labelled(DATA / "external_nl4.txt"))["strict"]
    for name, counts in report.per_entity.items():
        assert counts.f1 >= 0.976, (name, counts.as_dict())
    assert report.micro.f1 >= 0.989, report.micro.as_dict()        # 0.9894 measured
    assert report.any_pii_recall >= 0.992                           # 0.9925
    assert report.per_entity["PERSON"].coverage >= 0.983, report.per_entity["PERSON"].as_dict()   # 0.9836


def test_fifth_set_floors_as_development_set(detector):
    """tests/data/external_nl5.txt (133 documents, 919 spans, written blind; held out during the fourth round and
    measured once after it: micro F1 0.930) became the development set of the fifth (tests/test_labels_round6.py):
    floors at the figures reached (strict): every entity F1 >= 0.95 (LOCATION 0.959: the set's ``gemeente X``
    is no place, unlike external_nl4's; PERSON 0.967), micro F1 >= 0.976, any-PII recall >= 0.975, PERSON
    coverage >= 0.973."""
    report = evaluate(detector, load_labelled(DATA / "external_nl5.txt"))["strict"]
    for name, counts in report.per_entity.items():
        assert counts.f1 >= 0.95, (name, counts.as_dict())
    assert report.micro.f1 >= 0.976, report.micro.as_dict()        # 0.9769 measured
    assert report.any_pii_recall >= 0.975                           # 0.9761
    assert report.per_entity["PERSON"].coverage >= 0.973, report.per_entity["PERSON"].as_dict()   # 0.9735


def test_sixth_set_floors_as_development_set(detector):
    """tests/data/external_nl6.txt (151 documents, 948 spans, written blind to be representative: half
    everyday material, a third hard cases, a tenth negatives) was held out during the fifth round (micro F1
    0.913 before it, 0.926 after) and became the development set of the sixth (tests/test_labels_round7.py
    for identifiers and dates, tests/test_labels_round7_names.py for names, places and addresses).
    Floors at the figures reached after both were merged (strict): every entity F1 >= 0.96
    (NL_MEMBER_NUMBER 0.962: a CSV column headed ``verzekerde_id``, the name a Vektis EI file gives its
    record link, and a number answered to 'je nummer' two turns after 'zorgpas'; ADDRESS 0.969),
    micro F1 >= 0.986, any-PII recall >= 0.985, PERSON coverage >= 0.971."""
    report = evaluate(detector, load_labelled(DATA / "external_nl6.txt"))["strict"]
    for name, counts in report.per_entity.items():
        assert counts.f1 >= 0.962, (name, counts.as_dict())
    assert report.micro.f1 >= 0.986, report.micro.as_dict()        # 0.9862 measured
    assert report.any_pii_recall >= 0.985                           # 0.9852
    assert report.per_entity["PERSON"].coverage >= 0.971, report.per_entity["PERSON"].as_dict()   # 0.9716


def test_seventh_set_floors_as_development_set(detector):
    """tests/data/external_nl7.txt (142 documents, 991 spans, written blind in voices and formats the earlier
    sets lacked) was held out during the sixth round (micro F1 0.871 before it, 0.882 after) and became the
    development set of the seventh (tests/test_labels_round8.py for identifiers and dates,
    tests/test_labels_round8_names.py for names, places and addresses). Floors at the figures reached after
    both were merged (strict), each entity at its F1 (NL_UZOVI 0.882: a Vektis record pasted as one run of
    digits; NL_POSTCODE 0.911: Postbus postcodes of organisations, which this set leaves unlabelled and
    external_nl2 labels; see the README), micro F1 >= 0.953, any-PII recall >= 0.940, PERSON coverage
    >= 0.939."""
    report = evaluate(detector, load_labelled(DATA / "external_nl7.txt"))["strict"]
    floors = {"ADDRESS": 0.971, "DATE_OF_BIRTH": 0.951, "LOCATION": 0.928, "NL_MEMBER_NUMBER": 0.935, "NL_UZOVI": 0.882,
              "NL_AGB": 0.968, "NL_BSN": 0.929, "NL_ID_DOCUMENT": 0.928, "NL_POSTCODE": 0.911, "PHONE_NUMBER": 0.987,
              "NL_BTW": 0.965, "PERSON": 0.955, "EMAIL_ADDRESS": 1.0, "IP_ADDRESS": 1.0, "IBAN_CODE": 1.0, "NL_BIG": 1.0,
              "NL_KVK": 1.0}
    for name, floor in floors.items():
        assert report.per_entity[name].f1 >= floor, (name, report.per_entity[name].as_dict())
    assert report.micro.f1 >= 0.953, report.micro.as_dict()        # 0.9536 measured
    assert report.any_pii_recall >= 0.940                           # 0.9405
    assert report.per_entity["PERSON"].coverage >= 0.939, report.per_entity["PERSON"].as_dict()   # 0.9398


def test_eighth_set_floors_as_development_set(detector):
    """tests/data/external_nl8.txt (143 documents, 961 spans, written blind: machine formats such as iWlz/iJw
    XML, FHIR JSON, HL7v2, logs and URLs, and voices the earlier sets lacked) was held out during the seventh
    round (micro F1 0.864 before it, 0.868 after) and became the development set of the eighth
    (tests/test_labels_round9.py for identifiers and dates, tests/test_labels_round9_names.py for names, places
    and addresses). Floors at the merged figures (strict), each entity at its F1 (NL_MEMBER_NUMBER: an HL7 IN1
    segment one field off the standard's IN1-36, numbers with no label; LOCATION and NL_POSTCODE: PO-box
    addresses the set leaves unlabelled), micro F1 >= 0.957, any-PII recall >= 0.959, PERSON coverage >= 0.952."""
    report = evaluate(detector, load_labelled(DATA / "external_nl8.txt"))["strict"]
    floors = {'ADDRESS': 0.929, 'DATE_OF_BIRTH': 0.947, 'EMAIL_ADDRESS': 1.0, 'IBAN_CODE': 1.0, 'IP_ADDRESS': 1.0, 'LOCATION': 0.899, 'NL_AGB': 1.0, 'NL_BIG': 0.971, 'NL_BSN': 0.972, 'NL_BTW': 1.0, 'NL_ID_DOCUMENT': 0.969, 'NL_KVK': 1.0, 'NL_MEMBER_NUMBER': 0.916, 'NL_POSTCODE': 0.909, 'NL_UZOVI': 0.974, 'PERSON': 0.959, 'PHONE_NUMBER': 0.987}
    for name, floor in floors.items():
        assert report.per_entity[name].f1 >= floor, (name, report.per_entity[name].as_dict())
    assert report.micro.f1 >= 0.957, report.micro.as_dict()        # 0.9573 measured
    assert report.any_pii_recall >= 0.959                           # 0.9594
    assert report.per_entity["PERSON"].coverage >= 0.952, report.per_entity["PERSON"].as_dict()   # 0.9530


def test_ninth_set_floors_as_development_set(detector):
    """tests/data/external_nl9.txt (140 documents, 1035 spans, written blind: PDF and OCR extractions, chats,
    voicemails, configs, logs, XML/JSON/HL7, many origins of names) was held out during the eighth round
    (micro F1 0.9114 before it, 0.9224 after) and became the development set of the ninth
    (tests/test_labels_round10.py for identifiers and dates). Identifiers, dates, micro and any-PII recall
    floored at the figures of the identifiers' part (strict; NL_MEMBER_NUMBER 0.944: a mandate's reference, an
    HL7 IN1 field three off the standard's IN1-36, a hospital's PI number that external_nl8 leaves unlabelled);
    PERSON, LOCATION, ADDRESS and NL_POSTCODE at the figures before the round (the names' part sets them)."""
    report = evaluate(detector, load_labelled(DATA / "external_nl9.txt"))["strict"]
    floors = {'ADDRESS': 0.923, 'DATE_OF_BIRTH': 0.975, 'EMAIL_ADDRESS': 1.0, 'IBAN_CODE': 1.0, 'IP_ADDRESS': 1.0,
              'LOCATION': 0.941, 'NL_AGB': 0.981, 'NL_BIG': 1.0, 'NL_BSN': 1.0, 'NL_BTW': 1.0, 'NL_ID_DOCUMENT': 1.0,
              'NL_KVK': 1.0, 'NL_MEMBER_NUMBER': 0.944, 'NL_POSTCODE': 0.965, 'NL_UZOVI': 1.0, 'PERSON': 0.913,
              'PHONE_NUMBER': 1.0}
    for name, floor in floors.items():
        assert report.per_entity[name].f1 >= floor, (name, report.per_entity[name].as_dict())
    assert report.micro.f1 >= 0.956, report.micro.as_dict()        # 0.9566 measured
    assert report.any_pii_recall >= 0.963                           # 0.9633
    assert report.per_entity["PERSON"].coverage >= 0.924, report.per_entity["PERSON"].as_dict()   # 0.9284


def test_external_names_in_no_list(external):
    person = external["external_nl_unlisted.txt"].per_entity["PERSON"]
    assert person.recall >= 0.95 and person.coverage >= 0.95, person.as_dict()


def test_person_coverage_on_own_sets(report):
    assert report.per_entity["PERSON"].coverage >= 0.99, report.per_entity["PERSON"].as_dict()
