"""Where the repository's inputs live: the one place that computes the root."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
