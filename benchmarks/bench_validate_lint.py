"""Validate + lint speed: the largest corpus specs and the whole catalog, beside openapi-spec-validator alone.

Run: `.venv/bin/python -m benchmarks.bench_validate_lint [--repeat 5]`. Prints Markdown tables; the figures
in benchmarks/README.md come from it. Every run of a pair is interleaved so both see the same machine noise;
compare the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks._timing import CORPUS, ROOT, command, median_seconds, table

CONTRACTKIT = str(ROOT / ".venv" / "bin" / "contractkit")
PYTHON = sys.executable


def in_process(spec: Path) -> dict[str, object]:
    """Library calls, no interpreter start-up: the fairest comparison of the work itself."""
    from openapi_spec_validator import validate
    from openapi_spec_validator.readers import read_from_filename

    from contractkit.lint import lint_document
    from contractkit.loaders import FileStore, clear_cache, open_document
    from contractkit.validate import validate_document

    def osv() -> None:
        data, uri = read_from_filename(str(spec))
        validate(data, base_uri=uri)

    def ours(lint: bool) -> None:
        clear_cache()
        doc = open_document(spec, store=FileStore(), root_dir=spec.parent)
        validate_document(doc)
        if lint:
            lint_document(doc)

    return {
        "openapi-spec-validator (anchor)": osv,
        "contractkit validate": lambda: ours(False),
        "contractkit validate + lint": lambda: ours(True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for name in ("box.json", "twilio_api_v2010.yaml"):
        spec = CORPUS / "openapi" / name
        medians = median_seconds(in_process(spec), args.repeat)
        anchor = medians["openapi-spec-validator (anchor)"]
        print(f"\n### {name} ({spec.stat().st_size / 1e6:.2f} MB), in-process, median of {args.repeat}\n")
        print(table([(k, v, f"{v / anchor:.2f}x") for k, v in medians.items()]))
    cli = {
        "python -c 'import openapi_spec_validator' (interpreter start-up floor)": command(
            [PYTHON, "-c", "import openapi_spec_validator"]
        ),
        "contractkit check (validate + lint, whole catalog)": command([CONTRACTKIT, "check"]),
        "contractkit validate (whole catalog)": command([CONTRACTKIT, "validate"]),
    }
    medians = median_seconds(cli, args.repeat)
    floor = medians[next(iter(cli))]
    print(f"\n### contracts/ end to end (CLI, new process each run), median of {args.repeat}\n")
    print(table([(k, v, f"{v / floor:.2f}x start-up") for k, v in medians.items()]))


if __name__ == "__main__":
    main()
