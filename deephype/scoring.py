"""The LM baseline as a judge of fluency: per-token perplexity of any sentences, and of each line of a text file.

Lines are tokenised as they stand: names are not swapped for placeholders, and words the model's vocabulary lacks
are read as <unk>. Both are counted per line, because <unk> is easy to predict and flatters a perplexity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from deephype.batch import make_batch
from deephype.checkpoint import LoadedModel
from deephype.errors import InputError
from deephype.lm import LanguageModel
from deephype.tokens import tokenize
from deephype.vocab import UNKNOWN_LABEL, Vocabulary, condition_matrix

Tokens = Sequence[str]


@dataclass(frozen=True)
class LineScore:
    line: int  # 1-based line number in the file
    text: str
    tokens: int  # predicted tokens: words and punctuation, plus the end of the sentence
    unknown: int  # words the vocabulary lacks, read as <unk>
    nll: float  # -log p(line) in nats, summed over its tokens

    @property
    def ppl(self) -> float:
        return math.exp(self.nll / self.tokens)


@dataclass(frozen=True)
class ScoreReport:
    lines: list[LineScore]

    @property
    def tokens(self) -> int:
        return sum(score.tokens for score in self.lines)

    @property
    def unknown(self) -> int:
        return sum(score.unknown for score in self.lines)

    @property
    def ppl(self) -> float:
        """Per-token perplexity of the whole file: exp of the total NLL over the total tokens."""
        return math.exp(sum(score.nll for score in self.lines) / self.tokens)


def lm_sentence_nll(lm: LanguageModel, vocab: Vocabulary, sentences: Sequence[Tokens], condition: torch.Tensor,
                    batch_size: int = 64) -> torch.Tensor:
    """-log p(x | a) of each tokenised sentence, <eos> included, in nats: (N,). `condition` is (N, C).

    Batches run in length order so they pad little; the result is in the input order.
    """
    nll = torch.zeros(len(sentences))
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    lm.eval()
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            batch = make_batch(vocab, [sentences[i] for i in chosen], condition[chosen])
            _, terms = lm(batch)
            nll[chosen] = terms.reconstruction
    return nll


def read_text_lines(path: str | Path) -> list[tuple[int, str]]:
    """The non-blank lines of a UTF-8 text file with their 1-based numbers; InputError when there are none."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path} is not UTF-8 text (byte {error.start}): re-save it as UTF-8, "
                         "e.g. `iconv -t UTF-8`") from None
    except FileNotFoundError:
        raise InputError(f"{path} does not exist: pass a text file with one sentence per line") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise InputError(f"{path} has no text to score: put one sentence per line")
    return lines


def score_lines(lm: LoadedModel, lines: Sequence[tuple[int, str]]) -> ScoreReport:
    """Score numbered lines under the LM with the "unknown" genre condition (a bare text has no song)."""
    sentences = [tokenize(text) for _, text in lines]
    condition = condition_matrix([[UNKNOWN_LABEL]] * len(sentences), lm.conditions)
    nll = lm_sentence_nll(lm.model, lm.vocab, sentences, condition)
    scores = [
        LineScore(line=number, text=text, tokens=len(tokens) + 1,
                  unknown=sum(token not in lm.vocab.index for token in tokens), nll=float(value))
        for (number, text), tokens, value in zip(lines, sentences, nll.tolist(), strict=True)
    ]
    return ScoreReport(scores)


def score_file(lm: LoadedModel, path: str | Path) -> ScoreReport:
    return score_lines(lm, read_text_lines(path))
