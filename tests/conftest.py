import pytest

from pii_pipeline.detection import get_detector


@pytest.fixture(scope="session")
def detector():
    return get_detector()


def spans(detector, text, entity=None):
    """(entity_type, matched text) for every finding, optionally of one type."""
    return [(f.entity_type, text[f.start:f.end]) for f in detector.detect(text) if entity in (None, f.entity_type)]


SAMPLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "sample_data"
TEST_KEY = "93ed157c9bca545fc9612c854c00d3f962b5d998aab530a214c6d89eba1cd51d"


@pytest.fixture(autouse=True)
def _no_user_key_file(monkeypatch, tmp_path_factory):
    """Tests never read (or write) the developer's own ~/.config/pii-pipeline/key."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("PII_PIPELINE_KEY_FILE", raising=False)


@pytest.fixture
def key_env(monkeypatch):
    """A pseudonymisation key in the environment, as a user would set it."""
    monkeypatch.setenv("PII_PIPELINE_KEY", TEST_KEY)
    return TEST_KEY.encode()


@pytest.fixture(scope="session")
def sample_direct_identifiers():
    """Every direct-identifier value in sample_data/, plus digits-only forms of the numbers.

    Used to prove that none of them reaches an output, report, log or Prefect's database.
    """
    import csv
    import json
    import re

    values = set()
    with (SAMPLES / "claims_2026-10.csv").open(encoding="cp1252") as f:
        for row in csv.DictReader(f, delimiter=";"):
            values.update({row["bsn"], row["verzekerdennummer"], row["agb_zorgverlener"]})
    for inv in json.loads((SAMPLES / "invoices_2026-10.json").read_text(encoding="utf-8"))["facturen"]:
        p = inv["patient"]
        values.update({inv["iban"], inv["email"], p["bsn"], p["naam"], f"{p['adres']['straat']} {p['adres']['huisnummer']}"})
        values.update(r["agb_code"] for r in inv["regels"])
    with (SAMPLES / "export_klantcontact_2026-10.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            values.update({row["naam"], row["telefoon"], row["email"]})
    with (SAMPLES / "id_scans_metadata.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            values.update({row["documentnummer"], row["bsn"], f"{row['voornamen']} {row['achternaam']}",
                           row["bestandsnaam"], row["scanner_ip"]})
    for line in (SAMPLES / "notes.jsonl").read_text(encoding="utf-8").splitlines():
        values.update(re.findall(r"BSN (\d{9})", line))
    digits = {re.sub(r"\D", "", v) for v in values if sum(c.isdigit() for c in v) >= 8}
    return {v for v in values | digits if v}


def leaked(values, text):
    """The values found in ``text``, also when the text writes numbers without separators."""
    import re

    squeezed = re.sub(r"(?<=\d)[ .\-](?=\d)", "", text)
    return sorted(v for v in values if v in text or v in squeezed)


@pytest.fixture(scope="session")
def find_leaks():
    return leaked
