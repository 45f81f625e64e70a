"""How much bigger than the article is the prompt? Prompt tokens over article tokens.

usage: python bench/tokens_bench.py [ARTICLE ...]

For the seed article (examples/carney-ukraine.txt) the first request is built with the shipped
prompts (prompts/*.j2) and counted with the context guard's estimate (briefing/engines/llm/tokens.py): the
system message, the user message, the whole prompt, and the article's clean text alone. The same
ratio is then given over the articles of bench/data/extractive (or the ARTICLEs given). A real
tokenizer's count is shown beside the estimate only when one can be loaded without the network
(tiktoken with its encoding already on disk); otherwise the bench says it is not available.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.engines.llm.prompts import brief_messages  # noqa: E402
from briefing.engines.llm.tokens import count_messages, estimate_tokens, input_limit  # noqa: E402
from briefing.source.article import load_source  # noqa: E402

SEED = ROOT / "examples" / "carney-ukraine.txt"
DATA = ROOT / "bench" / "data" / "extractive"


class _Offline(Exception):
    pass


def offline_tokenizer() -> tuple[str, Callable[[str], int]] | None:
    """tiktoken's o200k_base (then cl100k_base) if its file is already cached; never downloads."""
    try:
        import tiktoken
        import tiktoken.load
    except ImportError:
        return None

    def refuse(blobpath: str) -> bytes:
        raise _Offline(blobpath)

    fetch = tiktoken.load.read_file
    tiktoken.load.read_file = refuse  # a cache miss would download: refuse it instead
    try:
        for name in ("o200k_base", "cl100k_base"):
            try:
                encoding = tiktoken.get_encoding(name)
            except (_Offline, OSError, ValueError):
                continue
            return f"tiktoken {name}", lambda text, enc=encoding: len(enc.encode(text, disallowed_special=()))
    finally:
        tiktoken.load.read_file = fetch
    return None


def installed(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("articles", nargs="*", type=Path, help="articles (default: bench/data/extractive)")
    args = parser.parse_args()
    tokenizer = offline_tokenizer()

    source = load_source(SEED)
    messages = brief_messages(source)
    system, user = (message["content"] for message in messages)
    prompt = count_messages(messages)
    article = estimate_tokens(source.text)
    print(f"seed: {SEED.name}, {source.words:,} words in {len(source.sentences)} sentences, "
          f"{len([f for f in source.figures if f.sentence is not None])} figures in the ledger")  # fmt: skip
    print(
        f"{'estimated tokens (engines.llm.tokens)':<40} {'estimate':>9}" + (f" {tokenizer[0]:>20}" if tokenizer else "")
    )
    rows = [("article text (clean)", source.text, article), ("system message", system, None),
            ("user message (article + ledger)", user, None)]  # fmt: skip
    for label, text, known in rows:
        count = known if known is not None else estimate_tokens(text)
        real = f" {tokenizer[1](text):>20}" if tokenizer else ""
        print(f"  {label:<38} {count:>9,}{real}")
    real_prompt = f" {sum(tokenizer[1](m['content']) + 4 for m in messages):>20}" if tokenizer else ""
    print(f"  {'whole first request':<38} {prompt:>9,}{real_prompt}")
    print(f"prompt tokens over article tokens for the seed: {prompt / article:.2f}")
    print(f"the seed's first request uses {prompt / input_limit('gpt-4o-mini'):.1%} of gpt-4o-mini's input budget "
          f"and {prompt / input_limit('llama3.1'):.1%} of a local model's default")  # fmt: skip
    if tokenizer:
        print(f"estimate over {tokenizer[0]}: {prompt / sum(tokenizer[1](m['content']) + 4 for m in messages):.2f}")
    else:
        why = (
            "tiktoken is installed but none of its encoding files is on disk, and it is not downloaded here"
            if installed("tiktoken")
            else "no tokenizer package is installed"
        )
        print(f"real tokenizer: not available offline ({why}); the estimate only")

    paths = args.articles or sorted(DATA.glob("*.txt"))
    ratios = []
    for path in paths:
        other = load_source(path)
        ratios.append(count_messages(brief_messages(other)) / estimate_tokens(other.text))
    print(f"over {len(ratios)} articles: prompt/article median {statistics.median(ratios):.2f}, "
          f"min {min(ratios):.2f}, max {max(ratios):.2f} (short articles pay the fixed instructions)")  # fmt: skip


if __name__ == "__main__":
    main()
