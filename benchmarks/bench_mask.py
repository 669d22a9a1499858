"""Benchmark: masking a 1-million-row claims file, beside pyarrow simply reading the CSV and writing Parquet.

Generates two synthetic claims files like sample_data/claims_2026-10.csv (250,000
distinct insured persons, so pseudonymisation hashes realistic numbers of
distinct values): one without free text and one with an `opmerking` column
(a third of the rows filled, as issue 14 sets the target; ``--text-share``; the remarks drawn from
rows/20 templated texts, so remarks recur over the file as templated ones do).  Each measurement runs in a fresh
process, so peak RSS is its own.  Prints figures; asserts nothing.

    python benchmarks/bench_mask.py [--rows 1000000] [--workers N] [--only structured|text]   # N: default the cores
    python benchmarks/bench_mask.py --gb 5 [--tmp DIR]                # peak RSS masking a ~5 GB file
    python benchmarks/bench_mask.py --only text [--text-share 0.1]    # only the file with free text

Both sides are timed as whole processes, as a user runs them: ``python -c <pyarrow read_csv + write_table>``
and ``pii-pipeline mask FILE -o OUT --workers W`` (interpreter start, imports, discovery, transform, gates,
publish); peak RSS and PSS sampled from /proc every 20 ms, summed over the process and its workers.
Targets (issue 14): structured <= 3x pyarrow with all cores, <= 5x with one; free text <= 15x with all cores.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

KEY = "5b0e8c1f7a2d49e6b3c8a1f04d7e92b6c5a3f81e0d9b4c7a26e1f5d8b03c9a47"

NAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
         "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits"]
FIRST = ["Jan", "Anna", "Fatima", "Mohamed", "Sanne", "Pieter", "Emma", "Daan", "Noor", "Lucas"]
TEMPLATES = [
    "Verzekerde {first} {last} belde over de nota, graag terugbellen op 06-{phone}.",
    "Verwezen door huisarts {initial}. {last}.",
    "Mevrouw {last} is verhuisd naar Dorpsstraat {number} in Zwolle.",
    "Kroon geplaatst, eigen bijdrage besproken.",
    "Patiënt klaagt over pijn linksonder; element {number} behandeld.",
]


def elfproef_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct 9-digit numbers that pass the elfproef (BSN-like)."""
    out: set = set()
    weights = np.array([9, 8, 7, 6, 5, 4, 3, 2])
    while len(out) < n:
        head = rng.integers(10_000_000, 99_999_999, size=n)
        digits = np.array([list(f"{h:08d}") for h in head], dtype=int)
        check = (digits @ weights) % 11
        ok = check < 10
        out.update(f"{h:08d}{c}" for h, c in zip(head[ok], check[ok]))
    return np.array(sorted(out)[:n])


def make_claims(path: Path, rows: int, free_text: bool, seed: int = 7, text_share: float = 1 / 3) -> None:
    rng = np.random.default_rng(seed)
    persons = 250_000
    bsn = elfproef_numbers(rng, persons)
    member = np.char.add("Z", rng.integers(10_000_000, 99_999_999, size=persons).astype(str))
    born = np.datetime64("1930-01-01") + rng.integers(0, 365 * 90, size=persons).astype("timedelta64[D]")
    postcode = [f"{p} {a}{b}" for p, a, b in zip(rng.integers(1000, 9999, persons), rng.choice(list("ABCDEFGHJKLMNPRSTVWXZ"), persons),
                                                rng.choice(list("ABCDEFGHJKLMNPRSTVWXZ"), persons))]
    postcode = np.array(postcode)
    gender = rng.choice(["M", "V", "X"], size=persons, p=[0.49, 0.5, 0.01])
    who = rng.integers(0, persons, size=rows)
    treated = np.datetime64("2026-01-01") + rng.integers(0, 300, size=rows).astype("timedelta64[D]")
    born_text = np.array([f"{d[8:10]}-{d[5:7]}-{d[:4]}" for d in born.astype(str)])
    treated_text = np.array([f"{d[8:10]}-{d[5:7]}-{d[:4]}" for d in np.unique(treated).astype(str)])
    treated_idx = np.searchsorted(np.unique(treated), treated)
    columns = {
        "declaratienummer": np.char.add("2026", np.arange(rows).astype(str)),
        "bsn": bsn[who], "verzekerdennummer": member[who], "geb_datum": born_text[who], "geslacht": gender[who],
        "postcode": postcode[who],
        "uzovi": rng.choice(["3311", "7095", "3343", "0101", "3358"], size=rows),
        "agb_zorgverlener": np.char.add("12", rng.integers(100_000, 120_000, size=rows).astype(str)),  # 20k providers
        "prestatiecode": rng.choice(["C11", "C13", "V21", "A10", "X10", "M03"], size=rows),
        "behandeldatum": treated_text[treated_idx],
        "bedrag": np.char.replace(np.round(rng.uniform(5, 250, size=rows), 2).astype(str), ".", ","),
    }
    if free_text:
        distinct = max(1, rows // 20)
        texts = []
        for i in range(distinct):
            t = TEMPLATES[i % len(TEMPLATES)]
            texts.append(t.format(first=FIRST[i % 10], last=NAMES[(i // 10) % 20], initial=FIRST[i % 10][0],
                                  phone=f"{rng.integers(10_000_000, 99_999_999)}", number=i % 200 + 1))
        texts = np.array(texts)
        filled = rng.random(rows) < text_share
        columns["opmerking"] = np.where(filled, texts[rng.integers(0, distinct, size=rows)], "")
    import pandas as pd

    pd.DataFrame(columns).to_csv(path, sep=";", index=False, encoding="cp1252")


BASELINE = """
import sys, pyarrow as pa, pyarrow.csv as pc, pyarrow.parquet as pq
names = open(sys.argv[1], encoding="cp1252").readline().strip().split(";")
table = pc.read_csv(sys.argv[1], read_options=pc.ReadOptions(encoding="cp1252"),
                    parse_options=pc.ParseOptions(delimiter=";"),
                    convert_options=pc.ConvertOptions(column_types={n: pa.string() for n in names}))
pq.write_table(table, sys.argv[2], compression="zstd")
"""


def _tree_memory(pid: int) -> list[tuple[float, float]]:
    """(RSS, PSS) in MiB of a process and each of its descendants now (from /proc), the process first.  RSS
    counts the pages a process shares with others (a forked worker's pages of the main process) in each of
    them; PSS divides shared pages among the processes sharing them (the sum: the physical memory the run holds)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop(0)
        try:
            status = Path(f"/proc/{p}/status").read_text()
            rss = int(next(l for l in status.splitlines() if l.startswith("VmRSS")).split()[1])
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            pss = int(next(l for l in rollup.splitlines() if l.startswith("Pss:")).split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration):
            continue
        out.append((rss / 1024, pss / 1024))
    return out


def _tree_rss(pid: int) -> tuple[float, float]:
    """The sums of RSS and of PSS (MiB) over a process and its descendants now."""
    memory = _tree_memory(pid)
    return sum(m[0] for m in memory), sum(m[1] for m in memory)


def _per_process(memory: list) -> str:
    """'main 540/500, 2 others 230/180 + 225/178' (RSS/PSS MiB): where a peak was."""
    if not memory:
        return ""
    head, rest = memory[0], memory[1:]
    text = f"main {head[0]:,.0f}/{head[1]:,.0f}"
    return text + (f", {len(rest)} other(s) " + " + ".join(f"{r:,.0f}/{p:,.0f}" for r, p in rest) if rest else "")


def run(argv: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of a whole process; the peak PSS is left in ``LAST_PSS``, and at each peak
    the processes' (RSS, PSS) in ``LAST_AT`` (``"rss"``, ``"pss"``)."""
    global LAST_PSS
    elapsed, (rss, LAST_PSS) = _run(argv, env)
    return elapsed, rss


LAST_PSS = 0.0
LAST_AT: dict = {}


def _run(argv: list[str], env: dict) -> tuple[float, tuple[float, float]]:
    """Wall time of a whole process (interpreter start, imports, work, exit) and its peak RSS: the largest
    sum over the process and its worker processes, sampled every 20 ms (not wait4's ru_maxrss: a forked
    child starts with this process's high-water mark)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, result = [0.0, 0.0], {}

    LAST_AT.clear()

    def sample() -> None:
        while "status" not in result:
            memory = _tree_memory(proc.pid)
            rss, pss = sum(m[0] for m in memory), sum(m[1] for m in memory)
            if rss > peak[0]:
                peak[0], LAST_AT["rss"] = rss, memory
            if pss > peak[1]:
                peak[1], LAST_AT["pss"] = pss, memory
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, _ = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    result["status"] = status
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[:3]} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, (peak[0], peak[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="'all workers' (default: the cores)")
    parser.add_argument("--gb", type=float, default=0,
                        help="instead: mask one structured file of about this many GB (the --rows file repeated) "
                             "with --workers workers and report peak RSS (issue 14: <= 1 GB for 5 GB)")
    parser.add_argument("--tmp", default=None, help="folder for the generated files (default: the system's)")
    parser.add_argument("--only", choices=["structured", "text"], default=None,
                        help="only the structured file or only the one with a free-text column (a loaded machine)")
    parser.add_argument("--text-share", type=float, default=1 / 3, help="share of rows with a remark (default: a third)")
    args = parser.parse_args()
    if args.tmp:
        Path(args.tmp).mkdir(parents=True, exist_ok=True)
    cli = str(Path(sys.executable).with_name("pii-pipeline"))
    env = dict(os.environ, PII_PIPELINE_KEY=KEY)
    if args.gb:
        big_file(args, cli, env)
        return
    print(f"{os.cpu_count()} CPUs; {args.rows:,} rows per file; every figure is one whole process")
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        for free_text in {"structured": (False,), "text": (True,)}.get(args.only, (False, True)):
            source = Path(tmp) / ("claims_text.csv" if free_text else "claims.csv")
            make_claims(source, args.rows, free_text, text_share=args.text_share)
            label = f"with a free-text column ({args.text_share:.0%} of rows)" if free_text else "structured columns only"
            print(f"\n{label}: {source.stat().st_size / 2**20:,.0f} MiB")
            base, base_rss = run([sys.executable, "-c", BASELINE, str(source), str(Path(tmp) / "baseline.parquet")], env)
            print(f"  pyarrow read CSV + write Parquet:  {base:6.1f} s  {args.rows / base:>10,.0f} rows/s  peak {base_rss:,.0f} MiB")
            for workers in sorted({1, args.workers}):
                out = Path(tmp) / f"masked_{workers}.parquet"
                elapsed, rss = run([cli, "mask", str(source), "-o", str(out), "--workers", str(workers)], env)
                rows = json.loads(Path(str(out) + "._manifest.json").read_text())["rows"]
                print(f"  pii-pipeline mask, {workers} worker(s):   {elapsed:6.1f} s  {args.rows / elapsed:>10,.0f} rows/s  "
                      f"peak RSS {rss:,.0f} MiB, PSS {LAST_PSS:,.0f} MiB  ({elapsed / base:.1f}x pyarrow; {rows['out']:,} rows out, "
                      f"{rows['quarantined']:,} quarantined)")
                print(f"    at the RSS peak (RSS/PSS MiB): {_per_process(LAST_AT.get('rss', []))}")
            outputs = {w: (Path(tmp) / f"masked_{w}.parquet").read_bytes() for w in sorted({1, args.workers})}
            print(f"  output of 1 and {args.workers} worker(s) byte-identical: {len(set(outputs.values())) == 1}")


def big_file(args, cli: str, env: dict) -> None:
    """Peak RSS for a file far larger than memory should need: the generated 1M-row file's data rows
    repeated up to ``--gb`` GB (the same 250,000 persons, so the k-anonymity gate passes)."""
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        part = Path(tmp) / "part.csv"
        make_claims(part, args.rows, free_text=False)
        data = part.read_bytes()
        header, body = data[:data.index(b"\n") + 1], data[data.index(b"\n") + 1:]
        source = Path(tmp) / "big.csv"
        with source.open("wb") as f:
            f.write(header)
            while f.tell() < args.gb * 1e9:
                f.write(body)
        part.unlink()
        rows_in = (source.stat().st_size - len(header)) // len(body) * args.rows
        print(f"{source.stat().st_size / 2**30:,.2f} GiB, {rows_in:,} rows (structured)")
        # No pyarrow floor here: it reads the whole file into memory, which is what this run checks mask does not.
        out = Path(tmp) / "masked.parquet"
        elapsed, rss = run([cli, "mask", str(source), "-o", str(out), "--workers", str(args.workers)], env)
        rows = json.loads(Path(str(out) + "._manifest.json").read_text())["rows"]
        print(f"  pii-pipeline mask, {args.workers} worker(s):   {elapsed:6.1f} s  {rows_in / elapsed:>10,.0f} rows/s  "
              f"peak RSS {rss:,.0f} MiB, PSS {LAST_PSS:,.0f} MiB (the process and its workers)  ({rows['out']:,} rows out, "
              f"{rows['quarantined']:,} quarantined; in = out + quarantined: {rows_in == rows['out'] + rows['quarantined']})")
        print(f"    at the RSS peak (RSS/PSS MiB): {_per_process(LAST_AT.get('rss', []))}")
        print(f"    at the PSS peak: {_per_process(LAST_AT.get('pss', []))}")


if __name__ == "__main__":
    main()
