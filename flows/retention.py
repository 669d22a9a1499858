"""The retention job: remove rows and parts past their term, and old quarantined inputs.

Thin orchestration over :mod:`pii_pipeline.rights.retention`.  The task takes paths,
returns counts; nothing is cached or persisted.  Schedule it like the anonymisation flow::

    pii-pipeline retention OUT --policy policy.yaml --quarantine landing/_quarantine --cron "0 3 * * 0"
    PREFECT_API_URL=http://127.0.0.1:4200/api python -m flows.retention OUT --policy policy.yaml --cron "0 3 * * 0"
"""

from __future__ import annotations

from pii_pipeline.prefect_env import configure_prefect_environment

configure_prefect_environment()  # before prefect is imported

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
from typing import Optional  # noqa: E402

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_table_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from pii_pipeline.masking import load_policy  # noqa: E402
from pii_pipeline.rights.retention import retention  # noqa: E402

PRIVATE = dict(cache_policy=NO_CACHE, persist_result=False)


@task(name="apply-retention", **PRIVATE)
def apply_retention(output_dir: str, policy_path: str, quarantine_dir: Optional[str], dry_run: bool,
                    as_of: Optional[str]) -> dict:
    day = dt.date.fromisoformat(as_of) if as_of else None
    return retention([output_dir], load_policy(policy_path), day, dry_run, quarantine_dir)


@flow(name="retention", persist_result=False, log_prints=False)
def retention_flow(output_dir: str, policy_path: str, quarantine_dir: Optional[str] = None, dry_run: bool = False,
                   as_of: Optional[str] = None) -> dict:
    """Apply the policy's ``retention`` rules to every dataset of ``output_dir``; with ``quarantine_dir``,
    delete quarantined input files older than ``quarantine_retention``."""
    report = apply_retention(output_dir, policy_path, quarantine_dir, dry_run, as_of)
    rows = [{"dataset": name, "rule": (f"{d['rule']['column']} keep {d['rule']['keep']} from {d['rule']['from']}"
                                       if d["rule"] else "none"), "rows_removed": d["rows"],
             "periods": ", ".join(f"{p} {n}" for p, n in d.get("periods", {}).items())}
            for name, d in report["datasets"].items()]
    if "quarantine" in report:
        rows.append({"dataset": "(quarantine)", "rule": f"keep {report['quarantine']['term']}",
                     "rows_removed": report["quarantine"]["deleted"], "periods": ""})
    create_table_artifact(key="retention", table=rows, description="Retention run (counts only)"
                          + (" - dry run" if dry_run else ""))
    get_run_logger().info("retention%s: %d row(s) past their term", " (dry run)" if dry_run else "",
                          sum(d["rows"] for d in report["datasets"].values()))
    return report


def serve(output_dir: str, policy_path: str, cron: str, name: str = "retention-weekly",
          quarantine_dir: Optional[str] = None) -> None:
    """A deployment on a schedule; runs never overlap (as for the anonymisation flow)."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    retention_flow.serve(name=name, cron=cron,
                         parameters={"output_dir": output_dir, "policy_path": policy_path, "quarantine_dir": quarantine_dir},
                         global_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
                         limit=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output_dir")
    parser.add_argument("--policy", required=True)
    parser.add_argument("--cron", default="0 3 * * 0")
    parser.add_argument("--name", default="retention-weekly")
    parser.add_argument("--quarantine")
    a = parser.parse_args()
    serve(a.output_dir, a.policy, a.cron, a.name, a.quarantine)


if __name__ == "__main__":
    main()
