"""Prefect settings the tool sets when the user has not, so a first run on a fresh machine works offline.

Must run before ``prefect`` is imported (Prefect reads these when it loads its settings).

* ``PREFECT_HOME``: ``~/.pii-pipeline/prefect`` (its SQLite database, logs and any results),
  never shared with another Prefect project by accident;
* telemetry off (``PREFECT_SERVER_ANALYTICS_ENABLED=false``, ``DO_NOT_TRACK=1``): nothing may
  reach the network;
* the temporary local server gets 90 s to start (the default 20 s is too short on a cold
  machine, where the first start runs the database migrations);
* no task results are persisted by default (they could hold data).
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    "PREFECT_UI_ENABLED": "false",
}


def configure_prefect_environment() -> dict:
    """Set the defaults above where the environment does not; returns what was set."""
    applied = {}
    if not os.environ.get("PREFECT_HOME"):
        applied["PREFECT_HOME"] = str(Path.home() / ".pii-pipeline" / "prefect")
    for name, value in DEFAULTS.items():
        if name not in os.environ:
            applied[name] = value
    os.environ.update(applied)
    secure_prefect_home(Path(os.environ["PREFECT_HOME"]))
    return applied


def secure_prefect_home(home: Path) -> None:
    """PREFECT_HOME and its SQLite database owner-only: the run history names files and datasets.

    The database file is created empty (mode 0600) before Prefect's server opens it; SQLite gives
    its WAL and journal files the mode of the database file.
    """
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(home, 0o700)
    database = home / "prefect.db"
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for path in home.glob("prefect.db*"):
        os.chmod(path, 0o600)
