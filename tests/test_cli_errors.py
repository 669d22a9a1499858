"""Every command, fed the bad inputs a newcomer tries: one line on stderr naming the file, a
non-zero exit code, never a traceback (issue 17)."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pii_pipeline.cli import app

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
runner = CliRunner()
CLAIMS = SAMPLES / "claims_2026-10.csv"


@pytest.fixture
def files(tmp_path, monkeypatch, key_env):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    (tmp_path / "bad_policy.yaml").write_text("name: x\nentities: {NL_BSN: {operator: shred}}\n", encoding="utf-8")
    (tmp_path / "landing").mkdir()
    return tmp_path


def _no_secret_block(monkeypatch):
    from prefect.blocks.system import Secret

    def missing(cls, name, *args, **kwargs):  # what Prefect 3.8.8 raises (prefect/blocks/core.py)
        raise ValueError(f"Unable to find block document named {name} for block type secret")

    monkeypatch.setattr(Secret, "load", classmethod(missing))


CASES = [
    # (arguments, the file the message must name)
    (["scan", "nosuch.csv"], "nosuch.csv"),
    (["scan", "empty.csv"], "empty.csv"),
    (["scan", str(CLAIMS), "--report", "nofolder/r.json"], "nofolder"),
    (["scan", str(CLAIMS), "--html", "nofolder/r.html"], "nofolder"),
    (["mask", "nosuch.csv", "-o", "out.parquet"], "nosuch.csv"),
    (["mask", str(CLAIMS), "-o", "nofolder/out.parquet"], "nofolder"),
    (["mask", "empty.csv", "-o", "out.parquet"], "empty.csv"),
    (["mask", str(CLAIMS), "-o", "out.parquet", "--policy", "nosuch.yaml"], "nosuch.yaml"),
    (["mask", str(CLAIMS), "-o", "out.parquet", "--policy", "bad_policy.yaml"], "bad_policy.yaml"),
    (["mask", str(CLAIMS), "-o", "out.docx"], "out.docx"),
    (["mask", str(CLAIMS), "-o", "out.parquet", "--key-secret", "nosuchblock"], "nosuchblock"),
    (["detect", "nosuch.txt"], "nosuch.txt"),
    (["detect", "empty.txt"], "empty.txt"),
    (["detect", str(CLAIMS)], "claims_2026-10.csv"),
    (["evaluate", "nosuch.txt"], "nosuch.txt"),
    (["evaluate", "empty.txt"], "empty.txt"),
    (["policy", "check", "nosuch.yaml"], "nosuch.yaml"),
    (["policy", "check", "bad_policy.yaml"], "bad_policy.yaml"),
    (["policy", "init", "nofolder/p.yaml"], "nofolder"),
    (["policy", "init", "bad_policy.yaml"], "bad_policy.yaml"),
    (["run", "nosuch", "-o", "out"], "nosuch"),
    (["run", "landing", "-o", "nofolder/out"], "nofolder"),
    (["run", "landing", "-o", "out", "--datasets", "nosuch.yaml"], "nosuch.yaml"),
    (["run", "landing", "-o", "out", "--policy", "bad_policy.yaml"], "bad_policy.yaml"),
    (["run", "landing", "-o", "out", "--key-secret", "nosuchblock"], "nosuchblock"),
    (["run", "landing", "-o", "out", "--dask", "local:many"], "local:many"),
    (["serve", "nosuch", "-o", "out"], "nosuch"),
    (["serve", "landing", "-o", "nofolder/out"], "nofolder"),
    (["serve", "landing", "-o", "out"], "PREFECT_API_URL"),
    (["key", "init", "bad_policy.yaml"], "bad_policy.yaml"),
]


@pytest.mark.parametrize("args, named", CASES, ids=[" ".join(a[:2]) + " " + n for a, n in CASES])
def test_bad_input_is_one_line_naming_the_file(files, monkeypatch, args, named):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    _no_secret_block(monkeypatch)
    result = runner.invoke(app, args)
    assert result.exit_code not in (0, None), result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert named in lines[0], lines[0]


def test_no_key_and_a_weak_key_are_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("PII_PIPELINE_KEY", raising=False)
    for args in (["mask", str(CLAIMS), "-o", str(tmp_path / "o.parquet")], ["run", str(tmp_path), "-o", str(tmp_path / "o")],
                 ["key", "check"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "key init" in result.stderr, result.stderr
    monkeypatch.setenv("PII_PIPELINE_KEY", "a" * 32)
    result = runner.invoke(app, ["mask", str(CLAIMS), "-o", str(tmp_path / "o.parquet")])
    assert result.exit_code == 2 and "too weak" in result.stderr and "a" * 32 not in result.stderr


def test_an_unexpected_error_is_one_line_without_its_text(tmp_path, monkeypatch):
    # An error we did not foresee may carry a value in its text: only its type is shown.
    import pii_pipeline.discovery as discovery

    def boom(*args, **kwargs):
        raise RuntimeError("cell holds 123456782")

    monkeypatch.setattr(discovery, "scan_file", boom)
    result = runner.invoke(app, ["scan", str(CLAIMS)])
    assert result.exit_code == 70
    assert result.stderr.strip() == "error: unexpected RuntimeError; nothing was published (rerun with --verbose for the log)"
    assert "123456782" not in result.output


def test_help_texts_are_complete():
    for command in (["mask"], ["serve"], ["run"], ["scan"], ["detect"], ["key", "init"], ["policy", "init"]):
        result = runner.invoke(app, [*command, "--help"], terminal_width=80)
        assert result.exit_code == 0
        assert "<bool>" not in result.output, command
        options = result.output.split("Options:")[1]
        # every option has a description: no line that is only an option name and its type
        for line in options.splitlines():
            words = line.split()
            if words and words[0].startswith("-") and all(w.startswith(("-", "<")) or w.endswith(",") for w in words):
                pytest.fail(f"{command}: option without a description: {line.strip()}")
    for group in ([], ["key"], ["policy"]):   # command lists: no description cut off with "..."
        listing = runner.invoke(app, [*group, "--help"], terminal_width=80).output.split("Commands:")[1]
        assert not [line for line in listing.splitlines() if line.rstrip().endswith("...")], listing
    text = runner.invoke(app, ["mask", "--help"], terminal_width=80).output
    assert "unless every gate passes" in " ".join(text.split())   # the sentence is whole, not broken mid-way
