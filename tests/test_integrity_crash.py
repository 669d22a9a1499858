"""Crash safety: kill -9 at every named point of a run (fail points, not timing), then rerun.

Each case forks the test process (the detector is loaded once), sets PII_PIPELINE_CRASH_AT so the batch
library ends the process with os._exit at that point, and then checks what a reader sees and what a
rerun publishes: each landing file's latest version exactly once, no duplicate row, nothing left over.
"""

import multiprocessing
import os
import shutil

import pandas as pd
import pytest

from pii_pipeline import batch
from pii_pipeline.masking import default_policy

KEY = b"test-key-0123456789abcdef0123456789abcdef"
POINTS = ["staged", "parts-staged", "manifest-written", "retiring", "retired", "renaming", "renamed", "committed"]


def claims(first: int, count: int) -> str:
    # Two months, so a file has two parts (the kill can land between their renames).
    rows = [f"{first + i};{1 + i % 28:02d}-{10 + i % 2}-2026;{i},50" for i in range(count)]
    return "declaratienummer;behandeldatum;bedrag\n" + "\n".join(rows) + "\n"


def run(landing, out, crash_at=None):
    if crash_at is None:
        return batch.run_without_prefect(landing, out, default_policy(), KEY)
    ctx = multiprocessing.get_context("fork")

    def child():
        os.environ[batch.CRASH_ENV] = crash_at
        batch.run_without_prefect(landing, out, default_policy(), KEY)
        os._exit(0)

    proc = ctx.Process(target=child)
    proc.start()
    proc.join(120)
    return proc.exitcode


def visible(out):
    return pd.read_parquet(out / "claims") if (out / "claims").exists() else pd.DataFrame({"declaratienummer": []})


@pytest.fixture(scope="module")
def published(tmp_path_factory, detector):
    """Two files with the same name in different folders (two identities), published once."""
    root = tmp_path_factory.mktemp("crash")
    landing = root / "landing"
    for folder, first in (("zorgkantoor_a", 1000), ("zorgkantoor_b", 5000)):
        (landing / folder).mkdir(parents=True)
        (landing / folder / "claims_2026.csv").write_text(claims(first, 60))
    out = root / "out"
    results = run(landing, out)
    assert [r.status for r in results] == ["published", "published"]
    assert len(visible(out)) == 120          # same names, different folders: both kept
    import json

    manifest = json.loads(next((out / "claims" / "_manifests").glob("*.json")).read_text())
    by_period = manifest["utility_by_period"]
    assert sorted(by_period) == ["2026-10", "2026-11"] and sum(p["bedrag"]["count"] for p in by_period.values()) == 60
    assert manifest["state"] == "published" and "source_id" in manifest
    return landing, out


@pytest.mark.parametrize("point", POINTS)
def test_kill_at_any_point_then_rerun_publishes_each_latest_version_once(published, tmp_path, point):
    landing, out = tmp_path / "landing", tmp_path / "out"
    shutil.copytree(published[0], landing)
    shutil.copytree(published[1], out)
    (landing / "zorgkantoor_a" / "claims_2026.csv").write_text(claims(2000, 40))   # a corrected delivery

    assert run(landing, out, crash_at=point) == 137, f"the run never reached {point}"
    seen = visible(out)["declaratienummer"]
    assert seen.is_unique, f"duplicate rows visible after a kill at {point}"

    results = run(landing, out)
    table = visible(out)
    ids = set(table["declaratienummer"].astype(int))
    assert table["declaratienummer"].is_unique and ids == set(range(2000, 2040)) | set(range(5000, 5060))
    assert len(list((out / "claims" / "_manifests").glob("*.json"))) == 2
    assert not (out / ".staging").exists() and not list(out.rglob(".*.tmp"))
    assert all(r.status in ("published", "skipped") for r in results)


def test_a_second_kill_during_recovery_is_finished_by_the_third_run(published, tmp_path):
    landing, out = tmp_path / "landing", tmp_path / "out"
    shutil.copytree(published[0], landing)
    shutil.copytree(published[1], out)
    (landing / "zorgkantoor_a" / "claims_2026.csv").write_text(claims(2000, 40))
    assert run(landing, out, crash_at="manifest-written") == 137
    assert run(landing, out, crash_at="renaming") == 137      # recovery itself is killed
    run(landing, out)
    table = visible(out)
    assert table["declaratienummer"].is_unique and len(table) == 100


def _in_child(target) -> tuple:
    """Run ``target()`` in a forked process; (exit code, what it wrote to the pipe)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        code = 0
        try:
            os.write(write, target().encode())
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read) as f:
        return os.waitstatus_to_exitcode(status), f.read()


def test_a_second_run_on_the_same_output_exits_with_one_line(tmp_path):
    out = tmp_path / "out"

    def second_run() -> str:
        try:
            with batch.run_lock(out):
                return "acquired"
        except batch.OutputLocked as exc:
            return str(exc)

    with batch.run_lock(out):
        code, message = _in_child(second_run)
    assert code == 0 and "another run is using this output folder" in message and f"pid {os.getpid()}" in message
    assert "\n" not in message

    def killed_holder() -> str:
        with batch.run_lock(out):
            os._exit(137)   # kill -9 while holding the lock: the lock file stays behind

    assert _in_child(killed_holder)[0] == 137 and (out / batch.LOCK_FILE).exists()
    assert _in_child(second_run) == (0, "acquired")   # the stale lock is taken over
