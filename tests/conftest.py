import re
from pathlib import Path

import pytest

from pii_pipeline.detection import get_detector

collect_ignore = ["_vendor"]   # third-party code used by the tests (pycanon), not tests of ours


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
    """Every personal value the sample generator wrote (its ground truth, tests/data/sample_truth.json:
    names also inside free text, streets with numbers, every number), plus what the files hold by
    column, plus digits-only forms of the numbers.

    Used to prove that none of them reaches an output, report, log or Prefect's database.
    """
    import csv
    import json

    values = set(json.loads((Path(__file__).parent / "data" / "sample_truth.json").read_text(encoding="utf-8")))
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
    values |= ei_sample_values()
    return with_digit_forms(values)


def with_digit_forms(values):
    import re

    digits = {re.sub(r"\D", "", v) for v in values if sum(c.isdigit() for c in v) >= 8}
    return {v for v in set(values) | digits if v}


EI_SAMPLE_FILES = ("declaratie_mz301_2026-10.asc", "declaratie_pm304_2026-10.dat", "VECOZO_AP304_2026-10")


def ei_sample_values():
    """The personal values of the Vektis EI samples, cut from their lines at the layouts' positions:
    BSN, verzekerdennummer, surname, birth date (JJJJMMDD and ISO), postcode (and + house number),
    and of debiteurs also e-mail, phone, account number and IBAN."""
    from pii_pipeline.io.ei import layout_for

    wanted = {"Burgerservicenummer (BSN) verzekerde", "Verzekerdennummer (inschrijvingsnummer, relatienummer)",
              "Naam verzekerde (01)", "Naam debiteur (01)", "Datum geboorte verzekerde", "Datum geboorte debiteur",
              "Postcode (huisadres) verzekerde", "Postcode (huisadres) debiteur", "E-mailadres debiteur",
              "Telefoonnummer debiteur", "Bankrekeningnummer", "IBAN"}
    values = set()
    for name in EI_SAMPLE_FILES:
        path = SAMPLES / name
        layout = layout_for(path)
        for line in path.read_bytes().decode("latin-1").splitlines():
            record = layout.records.get(line[:2])
            fields = {e.name: line[e.start - 1:e.start - 1 + e.length].strip() for e in record.elements}
            for field, value in fields.items():
                if field in wanted and value.strip("0"):
                    values.add(value)
                    if field.startswith("Datum geboorte"):
                        values.add(f"{value[:4]}-{value[4:6]}-{value[6:]}")
                    if field.startswith("Postcode") and "verzekerde" in field:
                        values.add(f"{value} {int(fields['Huisnummer (huisadres) verzekerde'])}")
    return values


_HEX_RUN = None


def _outside_hex_tokens(value, text):
    """Whether ``value`` occurs in ``text`` other than inside a random hex token (a UUID or hash that
    Prefect stores: with thousands of them, an 8-digit birth date turns up in one by chance)."""
    import re

    global _HEX_RUN
    _HEX_RUN = _HEX_RUN or re.compile(r"[0-9A-Fa-f][0-9A-Fa-f-]*")
    start = text.find(value)
    while start != -1:
        run = _HEX_RUN.match(text, start)
        left = start
        while left > 0 and (text[left - 1] in "0123456789abcdefABCDEF-"):
            left -= 1
        token = text[left:run.end() if run else start + len(value)]
        hex_chars = token.replace("-", "")
        if not (value.isdigit() and len(hex_chars) >= 16 and re.search(r"[A-Fa-f]", token)):
            return True
        start = text.find(value, start + 1)
    return False


_CLOCK_TIME = re.compile(r"\d\d:\d\d:\d\d\.\d{1,6}")


def leaked(values, text):
    """The values found in ``text``, also when the text writes numbers without separators."""
    import re

    # A clock time with fractional seconds is a machine timestamp (Prefect writes thousands): its
    # seconds and microseconds, glued to the next timestamp by SQLite, form random 8-digit runs (about
    # 5,700 distinct ones per flow test) that now and then hold a sample member number by chance, as
    # in CI's run of stop 21. No personal value is written as a clock time.
    text = _CLOCK_TIME.sub(" <time> ", text)
    squeezed = re.sub(r"(?<=\d)[ .\-](?=\d)", "", text)
    return sorted(v for v in values if _outside_hex_tokens(v, text) or _outside_hex_tokens(v, squeezed))


def readable_text(path):
    """What a file holds as text: Parquet as its schema and rows, anything else as decoded bytes."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        return str(table.schema) + "\n" + table.to_pandas().to_csv()
    return path.read_bytes().decode("utf-8", errors="replace")


def leaks_in_tree(values, *roots):
    """{path: leaked values} over every file under ``roots`` (Parquet rows, SQLite DB and WAL included)."""
    found = {}
    for root in roots:
        for path in [Path(root)] if Path(root).is_file() else sorted(Path(root).rglob("*")):
            if path.is_file() and not path.is_symlink():
                hits = leaked(values, readable_text(path))
                if hits:
                    found[str(path)] = hits[:5]
    return found


@pytest.fixture(scope="session")
def find_leaks():
    return leaked


# CI and developers share 2 cores with other work: hypothesis must judge correctness, not speed.
from hypothesis import HealthCheck, settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("shared-cores", deadline=None,
                                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
_hypothesis_settings.load_profile("shared-cores")
