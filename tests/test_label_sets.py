"""The labelled sets' markup is clean: `tests/check_labels.py` finds no PROBLEM in them.

Only the markup and the identifiers' checksums and formats are checked here (independent of the
detector, no evaluation floor): a typo in a set would otherwise only show as a lower score.
"""

from pathlib import Path

import pytest

import check_labels

DATA = Path(__file__).resolve().parent / "data"

CLEAN_SETS = ["external_nl.txt", "eval_nl.txt", "holdout_nl.txt", "external_nl2.txt", "external_nl3.txt",
              "external_nl_unlisted.txt", "external_nl4.txt", "external_nl5.txt",
              "external_nl6.txt", "external_nl7.txt", "external_nl8.txt", "external_nl9.txt"]


@pytest.mark.parametrize("name", CLEAN_SETS)
def test_labelled_set_has_no_markup_problem(name, capsys):
    assert check_labels.main(DATA / name) == 0, capsys.readouterr().out


def test_fourth_set_size():
    """external_nl4.txt (held out) keeps the size its README line states."""
    from pii_pipeline.evaluation import load_labelled

    docs = load_labelled(DATA / "external_nl4.txt")
    assert len(docs) == 131 and sum(len(d.spans) for d in docs) == 802


def test_fifth_set_size():
    """external_nl5.txt (held out) keeps the size its README line states."""
    from pii_pipeline.evaluation import load_labelled

    docs = load_labelled(DATA / "external_nl5.txt")
    assert len(docs) == 133 and sum(len(d.spans) for d in docs) == 919


def test_sixth_set_size():
    """external_nl6.txt (held out) keeps the size its README line states."""
    from pii_pipeline.evaluation import load_labelled

    docs = load_labelled(DATA / "external_nl6.txt")
    assert len(docs) == 151 and sum(len(d.spans) for d in docs) == 948


def test_seventh_set_size():
    """external_nl7.txt (held out) keeps the size its README line states."""
    from pii_pipeline.evaluation import load_labelled

    docs = load_labelled(DATA / "external_nl7.txt")
    assert len(docs) == 142 and sum(len(d.spans) for d in docs) == 991


@pytest.mark.parametrize("labelled, clean", [
    ("BSN [[NL_BSN:1234\n56782]] in een scan", True),      # wrapped over a line: checked without it
    ("paspoort [[NL_ID_DOCUMENT:XR 1001R5 8]]", True),      # written in groups
    ("BSN [[NL_BSN:1234\n56783]]", False),                  # still fails the elfproef
    ("paspoort [[NL_ID_DOCUMENT:XR 1001R5]]", False),       # too short without the spaces
])
def test_check_labels_reads_spaced_values_without_their_whitespace(tmp_path, capsys, labelled, clean):
    f = tmp_path / "set.txt"
    f.write_text(labelled + "\n", encoding="utf-8")
    assert (check_labels.main(f) == 0) is clean, capsys.readouterr().out


def test_eighth_set_size():
    """external_nl8.txt (held out) keeps the size its README line states."""
    from pii_pipeline.evaluation import load_labelled

    docs = load_labelled(DATA / "external_nl8.txt")
    assert len(docs) == 143 and sum(len(d.spans) for d in docs) == 961


def test_ninth_set_size():
    """external_nl9.txt (held out) keeps the size its header states."""
    from pii_pipeline.evaluation import load_labelled

    docs = load_labelled(DATA / "external_nl9.txt")
    assert len(docs) == 140 and sum(len(d.spans) for d in docs) == 1035
