"""A plain (non-editable) install must hold every module and data file: pyproject.toml lists the
packages and their data by hand, so a new package or data folder is easy to forget (an editable install,
the README's, hides the omission; `recognizers.identifiers` and `pii_pipeline.rights` were missing)."""
import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _folder(package: str) -> Path:
    top, _, rest = package.partition(".")
    base = CONFIG["package-dir"].get(top)
    base = ROOT / base if base is not None else ROOT / CONFIG["package-dir"][""] / top
    return base.joinpath(*rest.split(".")) if rest else base


def _packages_on_disk() -> set:
    found = set()
    for top in ("flows", "recognizers", "pii_pipeline"):
        root = _folder(top)
        for init in root.rglob("__init__.py"):
            parts = init.parent.relative_to(root).parts
            found.add(".".join((top, *parts)))
    return found


def test_every_package_on_disk_is_listed():
    assert set(CONFIG["packages"]) == _packages_on_disk()


def test_every_data_file_in_a_package_is_installed():
    data = CONFIG.get("package-data", {})
    missing = []
    for package in CONFIG["packages"]:
        folder = _folder(package)
        for path in folder.iterdir():
            if path.is_dir() and not (path / "__init__.py").exists() and path.name != "__pycache__":
                for f in path.rglob("*"):
                    rel = f.relative_to(folder).as_posix()
                    if f.is_file() and "__pycache__" not in rel and not any(
                            fnmatch.fnmatch(rel, g) for g in data.get(package, [])):
                        missing.append(f"{package}: {rel}")
    assert not missing, missing
