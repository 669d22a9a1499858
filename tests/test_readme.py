"""The README's commands work exactly as written (issue 17).

Every fenced ```bash block of README.md is run, in README order, by a new bash in a temporary copy
of the repository holding the sample data, with the tool at `.venv/bin/pii-pipeline` (a link to
the venv running the tests), a fresh HOME (so no key and no Prefect home of the developer's), and
no PII_PIPELINE_KEY.  Blocks marked `<!-- readme-test: skip (reason) -->` on the line before are
not run: the two install commands (`install`), those that need a server or cluster (`server`),
the benchmarks (`long`) and the ID-scan example (`needs an ID scan and Tesseract`).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"(?:<!-- readme-test: skip \((?P<reason>[^)]*)\) -->\n)?```bash\n(?P<body>.*?)```", re.S)
REASONS = {"install", "server", "long", "needs an ID scan and Tesseract"}


def readme_blocks():
    return [(m["reason"], m["body"]) for m in BLOCK.finditer((ROOT / "README.md").read_text(encoding="utf-8"))]


def test_only_install_server_and_long_blocks_are_skipped():
    blocks = readme_blocks()
    skipped = [reason for reason, _ in blocks if reason]
    assert set(skipped) <= REASONS, skipped
    installs = [body for reason, body in blocks if reason == "install"]
    assert len(installs) == 2 and "pip install -e ." in installs[0] and "pytest" in installs[1]
    # The main command uses the key file, so a rerun in a new shell uses the same key.
    assert "pii-pipeline key init --keep-existing && .venv/bin/pii-pipeline run sample_data -o out" in installs[0]
    for reason, body in blocks:
        for line in body.splitlines():
            if re.match(r"\s*(PREFECT_API_URL=\S+ )?pii-pipeline ", line):
                pytest.fail(f"README command without .venv/bin/: {line}")


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    if sys.prefix == sys.base_prefix:
        pytest.skip("the README's commands use .venv/bin/: run the tests from the venv")
    base = tmp_path_factory.mktemp("readme")
    repo = base / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "README.md", repo)
    shutil.copytree(ROOT / "sample_data", repo / "sample_data")
    (repo / ".venv").symlink_to(sys.prefix)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PII_PIPELINE_", "PREFECT_", "XDG_CONFIG"))}
    env.update(HOME=str(base / "home"), COLUMNS="80", PATH="/usr/bin:/bin")
    (base / "home").mkdir()
    return repo, env


def _run(repo, env, body):
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", body], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=300)


def test_every_readme_command_works_as_written(checkout):
    repo, env = checkout
    ran = 0
    for reason, body in readme_blocks():
        if reason:
            continue
        result = _run(repo, env, body)
        assert result.returncode == 0, f"README block failed:\n{body}\n{result.stderr[-1500:]}"
        assert "Traceback" not in result.stdout + result.stderr, body
        ran += 1
    assert ran >= 5
    # The key made by the first block is the one every later shell uses.
    first = _run(repo, env, ".venv/bin/pii-pipeline key check").stdout
    again = _run(repo, env, ".venv/bin/pii-pipeline key init --keep-existing && .venv/bin/pii-pipeline key check").stdout
    key_ids = set(re.findall(r"k1-[0-9a-f]{12}", first + again))
    assert len(key_ids) == 1, first + again
    assert (repo / "claims.parquet").exists() and (repo / "r.json").exists() and (repo / "ids.parquet").exists()
