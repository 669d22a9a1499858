"""Serve the anonymisation flow on a schedule (a long-running process beside `prefect server start`).

    PREFECT_API_URL=http://127.0.0.1:4200/api python -m flows.serve /data/landing /data/datasets --cron "0 2 * * *"

Same as ``pii-pipeline serve``.  Overlapping runs are prevented: the deployment has a
concurrency limit of 1 with the CANCEL_NEW strategy, so a run that would start while the
previous one still works is cancelled instead of processing the same files twice.
"""

from __future__ import annotations

import argparse
from typing import Optional

from pii_pipeline.prefect_env import configure_prefect_environment

configure_prefect_environment()


def serve(input_dir: str, output_dir: str, cron: str, name: str = "nightly", policy_path: Optional[str] = None,
          dataset_mapping: Optional[str] = None, quarantine_dir: Optional[str] = None, key_secret: Optional[str] = None,
          workers: int = 1) -> None:
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    from flows.anonymise import anonymise_landing

    anonymise_landing.serve(
        name=name,
        cron=cron,
        parameters={"input_dir": input_dir, "output_dir": output_dir, "policy_path": policy_path,
                    "dataset_mapping": dataset_mapping, "quarantine_dir": quarantine_dir,
                    "key_secret": key_secret, "workers": workers},
        global_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        limit=1,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input_dir", help="landing folder (checked at every run)")
    parser.add_argument("output_dir", help="output folder: one Parquet dataset per sub-folder")
    parser.add_argument("--cron", default="0 2 * * *", help="when to run (cron syntax, server time zone; default: %(default)s)")
    parser.add_argument("--name", default="nightly", help="deployment name in Prefect (default: %(default)s)")
    parser.add_argument("--policy", help="policy YAML (default: the shipped statistics policy)")
    parser.add_argument("--datasets", help="YAML mapping of dataset name -> file patterns")
    parser.add_argument("--quarantine", help="where bad files go (default: INPUT/_quarantine)")
    parser.add_argument("--key-secret", help="Prefect Secret block holding the key (default: PII_PIPELINE_KEY, "
                        "PII_PIPELINE_KEY_FILE, then the key file of `pii-pipeline key init`)")
    parser.add_argument("--workers", type=int, default=1, help="processes per file for free-text masking (default: 1)")
    a = parser.parse_args()
    serve(a.input_dir, a.output_dir, a.cron, a.name, a.policy, a.datasets, a.quarantine, a.key_secret, a.workers)


if __name__ == "__main__":
    main()
