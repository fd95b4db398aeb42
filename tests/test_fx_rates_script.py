"""scripts/fx-rates-from-ecb: the exchange rates follow the data and the ECB file, with no year or currency typed."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def _repository(tmp_path: Path) -> Path:
    """The script and the tables it reads, in a folder of their own (it writes data/ beside itself)."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "data" / "raw").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "fx-rates-from-ecb", tmp_path / "scripts")
    for name in ("financials.csv", "projects.csv", "fx_rates.csv"):
        shutil.copy(ROOT / "data" / name, tmp_path / "data" / name)
    return tmp_path


def _ecb_file(path: Path, extra: list[dict] = ()) -> Path:
    """An ECB-style history (newest first, every currency a column) made of the daily rates the data keep."""
    with open(ROOT / "data" / "raw" / "ecb_daily_rates.csv", newline="", encoding="utf-8") as handle:
        daily = list(csv.DictReader(handle)) + list(extra)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Date", "USD", "JPY", "GBP", "SEK", "NOK", "CHF", ""])
        for row in sorted(daily, key=lambda r: r["date"], reverse=True):
            writer.writerow([row["date"], row["USD"], "160.1", row["GBP"], row["SEK"], row["NOK"], row["CHF"], ""])
    return path


def _run(repo: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(repo / "scripts" / "fx-rates-from-ecb"), *arguments],
                          capture_output=True, text=True)


def _source_date() -> str:
    with open(ROOT / "data" / "fx_rates.csv", newline="", encoding="utf-8") as handle:
        return next(csv.DictReader(handle))["source_date"]


def test_the_rates_made_again_from_their_own_daily_rates_are_the_published_ones(tmp_path):
    repo = _repository(tmp_path)
    result = _run(repo, str(_ecb_file(tmp_path / "hist.csv")), _source_date())
    assert result.returncode == 0, result.stderr
    assert (repo / "data" / "fx_rates.csv").read_bytes() == (ROOT / "data" / "fx_rates.csv").read_bytes()
    assert (repo / "data" / "raw" / "ecb_daily_rates.csv").read_bytes() == \
        (ROOT / "data" / "raw" / "ecb_daily_rates.csv").read_bytes()


def test_a_new_year_joins_once_the_file_covers_it_in_full(tmp_path):
    repo = _repository(tmp_path)
    day = {"USD": "1.1", "GBP": "0.85", "SEK": "11.0", "NOK": "11.5", "CHF": "0.93"}
    part = [{"date": "2026-10-30", **day}]
    _run(repo, str(_ecb_file(tmp_path / "part.csv", part)), "2026-10-30")
    with open(repo / "data" / "fx_rates.csv", newline="", encoding="utf-8") as handle:
        years = {int(r["year"]) for r in csv.DictReader(handle)}
    assert max(years) == 2025   # 2026 is not over in that file: no average for it yet

    whole = part + [{"date": "2026-12-31", **{**day, "USD": "1.3"}}]
    result = _run(repo, str(_ecb_file(tmp_path / "whole.csv", whole)), "2027-01-04")
    assert result.returncode == 0, result.stderr
    with open(repo / "data" / "fx_rates.csv", newline="", encoding="utf-8") as handle:
        rates = {(r["currency"], r["year"]): r for r in csv.DictReader(handle)}
    assert rates[("USD", "2026")]["units_per_eur"] == "1.2000" and rates[("USD", "2026")]["source_date"] == "2027-01-04"
    assert "JPY" not in {currency for currency, _ in rates}   # no amount in the data is in yen


def test_a_currency_the_data_start_to_use_is_added_and_one_the_file_lacks_is_named(tmp_path):
    repo = _repository(tmp_path)
    path = repo / "data" / "financials.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["currency"] = "DKK"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = _run(repo, str(_ecb_file(tmp_path / "hist.csv")), _source_date())
    assert result.returncode != 0 and "no reference rate for DKK" in result.stderr


def test_a_bare_csv_needs_its_date(tmp_path):
    repo = _repository(tmp_path)
    result = _run(repo, str(_ecb_file(tmp_path / "hist.csv")))
    assert result.returncode != 0 and "give its date too" in result.stderr
    assert (repo / "data" / "fx_rates.csv").read_bytes() == (ROOT / "data" / "fx_rates.csv").read_bytes()
