"""Write the model's section citations in bench/data/model-briefs/{dev,train} as labels.

Each reply in `replies/` is a brief of the article of the same name in `articles/`; every sentence
the brief cites under Pledges, Obstacles or Next steps is labelled with that section, every other
sentence none (`briefing.engines.extractive.labels`). The labels are written beside them, in
`labels/NAME.labels.json`, in the form of the hand-labelled sets (the sentence text and its label),
so they hold when the sentence split changes. The replies cite the sentence numbers of the split at
the commit they were made against; an article whose split has moved since (a caption dropped as site
furniture) keeps the labels file it has, which this script does not overwrite unless `--force`.

    python bench/model_labels.py [--force]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from briefing.engines.extractive.labels import brief_labels
from briefing.engines.llm.replies import extract_json
from briefing.source.article import load_source

HERE = Path(__file__).resolve().parent
ROOT = HERE / "data" / "model-briefs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="overwrite labels files that exist")
    args = parser.parse_args(argv)
    written = kept = 0
    for split in ("dev", "train"):
        (ROOT / split / "labels").mkdir(exist_ok=True)
        for reply in sorted((ROOT / split / "replies").glob("*.txt")):
            out = ROOT / split / "labels" / f"{reply.stem}.labels.json"
            if out.exists() and not args.force:
                kept += 1
                continue
            source = load_source(ROOT / split / "articles" / reply.name)
            brief = extract_json(reply.read_text(encoding="utf-8"))
            labels = brief_labels(brief, [s.text for s in source.sentences])
            data = {"article": reply.name, "corpus": f"model-briefs/{split}", "sentences": labels}
            out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            written += 1
    print(f"labels written: {written}, kept: {kept}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
