"""The title rule on the corpus: prints JSON (titles improved / damaged against the hand
labels of tests/data/title-truth, per split; cuts inside a word; agreement with
mozilla-readability's titles).

Usage: ``.venv/bin/python bench/title_quality.py [--rule-at REV]``

``--rule-at REV`` measures ``title.py`` as it was at that git revision (the before figures:
``--rule-at acdfc61``). The measures are ``linkhome/testing/title_quality.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from linkhome.testing.title_quality import TitleRule, current_rule, run  # noqa: E402

TITLE_PY = "linkhome/capture/steps/extract/title.py"


def rule_at(revision: str) -> TitleRule:
    """find_title of title.py at ``revision``, called with the arguments it took then."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:{TITLE_PY}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as file:
        file.write(source)
    spec = importlib.util.spec_from_file_location("title_at_revision", file.name)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    arity = len(inspect.signature(module.find_title).parameters)
    if arity >= 4:
        return module.find_title
    return lambda tree, meta, site, url: module.find_title(tree, meta, site)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rule-at", help="measure title.py as it was at this git revision")
    args = parser.parse_args()
    rule = rule_at(args.rule_at) if args.rule_at else current_rule
    print(json.dumps(run(rule), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
