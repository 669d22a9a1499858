"""End-to-end: `pii-pipeline detect` on files, and what it does with bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pii_pipeline.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

NOTE = "Mevrouw Oukili (BSN 123456782) belde vanaf 06-12345678."


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_detect_txt_json_offsets(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text(NOTE, encoding="utf-8")
    result = run("detect", f, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["id"] == "note.txt"
    got = [(x["entity_type"], NOTE[x["start"]:x["end"]]) for x in doc["findings"]]
    assert got == [("PERSON", "Oukili"), ("NL_BSN", "123456782"), ("PHONE_NUMBER", "06-12345678")]
    assert all("text" not in x for x in doc["findings"])
    assert "123456782" not in result.stdout


def test_detect_show_values(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text(NOTE, encoding="utf-8")
    result = run("detect", f, "--format", "json", "--show-values")
    assert [x["text"] for x in json.loads(result.stdout)["findings"]] == ["Oukili", "123456782", "06-12345678"]


def test_detect_human_marks_without_values(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text(NOTE, encoding="utf-8")
    result = run("detect", f)
    assert result.exit_code == 0
    assert "[NL_BSN]" in result.stdout and "[PERSON]" in result.stdout
    assert "123456782" not in result.stdout and "Oukili" not in result.stdout


def test_detect_jsonl_with_custom_fields_and_a_bad_line(tmp_path):
    f = tmp_path / "notes.jsonl"
    f.write_text(
        json.dumps({"nr": "a", "body": NOTE}) + "\n" + "{not json\n" + json.dumps({"nr": "b", "body": "geen gegevens"}) + "\n",
        encoding="utf-8",
    )
    result = run("detect", f, "--format", "json", "--text-field", "body", "--id-field", "nr")
    assert result.exit_code == 1
    lines = [json.loads(l) for l in result.stdout.splitlines()]
    assert [l["id"] for l in lines] == ["a", "b"]
    assert "line 2: not valid JSON" in result.stderr
    assert "{not json" not in result.stderr


def test_detect_sample_notes():
    result = run("detect", ROOT / "sample_data" / "notes.jsonl", "--format", "json")
    assert result.exit_code == 0
    docs = [json.loads(l) for l in result.stdout.splitlines()]
    assert len(docs) == 25
    assert all(any(f["entity_type"] == "NL_BSN" for f in d["findings"]) for d in docs)


@pytest.mark.parametrize("content, message", [
    (b"", "no documents"),
    (b"\x00\x01\x02binary\x00", "binary"),
    # UTF-8 text (the ë) with a byte that is not: the file is UTF-8 and the byte is named.  (Without any
    # UTF-8 sequence, non-ASCII bytes make a cp1252 file: see io/encoding.py.)
    ("Zoë Jansen".encode() + b" \xff woont hier", "not valid utf-8 at byte 12"),
])
def test_detect_bad_text_files(tmp_path, content, message):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    result = run("detect", f)
    assert message in result.stderr.lower()
    assert "Traceback" not in result.output
    assert "Jansen" not in result.stderr


def test_detect_missing_file(tmp_path):
    result = run("detect", tmp_path / "nope.txt")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_detect_cp1252_detected_or_given(tmp_path):
    f = tmp_path / "note.txt"
    f.write_bytes("Cliënte Oukili, BSN 123456782".encode("cp1252"))
    for args in ((), ("--encoding", "cp1252")):   # decided on the whole file, or given
        result = run("detect", f, *args, "--format", "json")
        assert result.exit_code == 0 and "NL_BSN" in result.stdout
    forced = run("detect", f, "--encoding", "utf-8")
    assert forced.exit_code == 2 and "not valid utf-8 at byte 3" in forced.stderr


def test_detect_large_single_text(tmp_path, detector):
    # ~10 MB in one document: windows keep memory and time bounded; findings
    # near window borders are found once, at the right offsets.
    chunk = "Controle zonder bijzonderheden, volgende afspraak over zes maanden. " * 30
    text = (chunk + "BSN 123456782. ") * 500
    assert len(text) > 1_000_000
    findings = [f for f in detector.detect(text) if f.entity_type == "NL_BSN"]
    assert len(findings) == 500
    assert all(text[f.start:f.end] == "123456782" for f in findings)
    big = tmp_path / "big.txt"
    big.write_text(text * 10, encoding="utf-8")
    assert big.stat().st_size > 10_000_000
    result = run("detect", big, "--format", "json", "-e", "NL_BSN")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["findings"]) == 5000


def test_unknown_entity_is_a_clear_error(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text(NOTE)
    result = run("detect", f, "-e", "NL_NOPE")
    assert result.exit_code == 2 and "unknown entity" in result.stderr


def test_console_script_installed():
    exe = Path(sys.executable).with_name("pii-pipeline")
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "detect" in out.stdout


def test_missing_spacy_model_is_a_clear_error_not_a_download(tmp_path, monkeypatch):
    f = tmp_path / "note.txt"
    f.write_text(NOTE)
    monkeypatch.setenv("PII_PIPELINE_SPACY_MODEL", "nl_core_news_notinstalled")
    result = run("detect", f)
    assert result.exit_code == 2
    assert "not installed" in result.stderr and "Traceback" not in result.output
