"""`python -m mesh_platform.demo_data [SEEDS_DIR]`: regenerate the reference mesh's seeds."""

import sys
from pathlib import Path

from . import generate, write_seeds


def main(argv: list[str]) -> int:
    seeds_dir = Path(argv[0]) if argv else Path("seeds")
    for path in write_seeds(generate(), seeds_dir):
        rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
        print(f"{path}: {rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
