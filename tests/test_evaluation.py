"""The evaluation report's pieces: mutual information, drawing genre rows, re-mapping genres, likelihood figures."""

from __future__ import annotations

import math

import pytest
import torch
from tiny_corpus import LABELS, SENTENCES

from deephype.checkpoint import LoadedModel
from deephype.corpus import CorpusSentence
from deephype.errors import EmptyCorpusError, InputError
from deephype.evaluation import EvalOptions, draw_rows, eval_set, likelihood_figures, mutual_information
from deephype.lm import LanguageModel
from deephype.model import CVAE, CVAEConfig
from deephype.scoring import lm_sentence_nll, read_text_lines
from deephype.tokens import tokenize
from deephype.vocab import Vocabulary

N = 2000


@pytest.mark.parametrize(
    ("mu", "logvar", "low", "high"),
    [
        # Every sentence has the same posterior: z says nothing about x.
        (torch.zeros(N, 4), torch.zeros(N, 4), -1e-5, 1e-5),
        # Posteriors far apart and narrow: z identifies x, so I(x; z) reaches its ceiling log N.
        (torch.arange(N, dtype=torch.float).unsqueeze(1) * 10, torch.full((N, 1), -4.0), math.log(N) - 0.05,
         math.log(N) + 0.05),
        # Two clusters of posteriors: z tells which half x is in, about log 2 nats.
        (torch.cat([torch.full((N // 2, 2), -8.0), torch.full((N // 2, 2), 8.0)]), torch.zeros(N, 2),
         math.log(2) - 0.05, math.log(2) + 0.05),
    ],
    ids=["collapsed", "one-to-one", "two clusters"],
)
def test_mutual_information_estimates(mu, logvar, low, high):
    assert low <= mutual_information(mu, logvar, torch.Generator().manual_seed(0), chunk=300) <= high


def test_mutual_information_does_not_depend_on_the_chunk_size():
    generator = torch.Generator().manual_seed(4)
    mu, logvar = torch.randn(50, 3, generator=generator), torch.randn(50, 3, generator=generator) - 1
    whole = mutual_information(mu, logvar, torch.Generator().manual_seed(1), chunk=50)
    assert mutual_information(mu, logvar, torch.Generator().manual_seed(1), chunk=7) == pytest.approx(whole)


@pytest.mark.parametrize(("n_rows", "count"), [(100, 30), (30, 30), (5, 40)])
def test_draw_rows_is_seeded_and_distinct_when_it_can_be(n_rows, count):
    rows = draw_rows(n_rows, count, seed=3)
    assert len(rows) == count and all(0 <= row < n_rows for row in rows)
    assert rows == draw_rows(n_rows, count, seed=3)
    assert len(set(rows)) == min(n_rows, count)


def corpus_sentence(text: str, genres: tuple[str, ...]) -> CorpusSentence:
    return CorpusSentence(text, "A", "S", genres, ("ignored",), "val")


@pytest.mark.parametrize(
    ("genres", "expected"),
    [
        (("folk",), {"folk": 1.0}),
        (("indie folk", "indie pop"), {"folk": 0.5, "indie pop": 0.5}),  # "indie folk" shares the head word
        (("zydeco",), {"other": 1.0}),
        ((), {"unknown": 1.0}),
    ],
)
def test_eval_set_maps_genres_to_the_models_labels(genres, expected):
    labels = ["unknown", "other", "indie pop", "folk"]
    data = eval_set([corpus_sentence("<artist> is back .", genres)], labels)
    assert data.tokens == [["<artist>", "is", "back", "."]]
    assert {labels[i]: v for i, v in enumerate(data.condition[0].tolist()) if v} == pytest.approx(expected)


def test_eval_set_of_nothing_is_an_empty_corpus_error():
    with pytest.raises(EmptyCorpusError, match="no sentences to evaluate"):
        eval_set([], LABELS)


TEXTS = [text for text, _, _ in SENTENCES]
VOCAB = Vocabulary.build([tokenize(t) for t in TEXTS[:8]], min_count=1)


def loaded(kind: type, seed: int) -> LoadedModel:
    torch.manual_seed(seed)
    config = CVAEConfig(vocab_size=len(VOCAB), condition_size=len(LABELS), embedding_dim=16, hidden_dim=32,
                        latent_dim=4, condition_dim=4)
    return LoadedModel("cvae" if kind is CVAE else "lm", kind(config).eval(), VOCAB, tuple(LABELS), {}, {}, None)


def test_likelihood_figures_agree_with_each_other_and_with_the_lm():
    cvae, lm = loaded(CVAE, 0), loaded(LanguageModel, 1)
    data = eval_set([corpus_sentence(text, tuple(labels)) for text, labels, _ in SENTENCES], LABELS)
    figures = likelihood_figures(cvae, lm, data, EvalOptions(k=4, batch_size=5))
    assert figures["sentences"] == len(SENTENCES)
    assert 0 < figures["nll"] <= figures["elbo"]
    assert figures["elbo"] == pytest.approx(figures["reconstruction"] + figures["kl"])
    tokens = sum(len(t) + 1 for t in data.tokens)
    assert figures["ppl"] == pytest.approx(math.exp(figures["nll"] * len(SENTENCES) / tokens))
    lm_nll = lm_sentence_nll(lm.model, VOCAB, data.tokens, data.condition).sum().item()
    assert figures["lm_ppl"] == pytest.approx(math.exp(lm_nll / tokens))
    # Untrained, both are near-uniform over the vocabulary; the IW bound cannot beat that by much.
    assert abs(math.log(figures["lm_ppl"]) - math.log(len(VOCAB))) < 0.5
    assert figures == likelihood_figures(cvae, lm, data, EvalOptions(k=4, batch_size=5))  # seeded: repeatable
    assert 0 <= figures["active_units"] <= 4 and figures["mi"] <= math.log(len(SENTENCES)) + 0.1


def test_lm_sentence_nll_keeps_the_input_order():
    lm = loaded(LanguageModel, 2)
    sentences = [tokenize(t) for t in TEXTS[:6]]
    condition = torch.zeros(6, len(LABELS))
    condition[:, 0] = 1.0
    forward = lm_sentence_nll(lm.model, VOCAB, sentences, condition, batch_size=4)
    backward = lm_sentence_nll(lm.model, VOCAB, sentences[::-1], condition, batch_size=4)
    assert torch.allclose(forward, backward.flip(0), atol=1e-5)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "no text to score"), (b"\n  \n", "no text to score"), (b"\xff\xfeoops", "not UTF-8")],
)
def test_read_text_lines_rejects_files_with_nothing_to_score(tmp_path, content, message):
    path = tmp_path / "lines.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_text_lines(path)


def test_read_text_lines_keeps_line_numbers_and_strips_a_bom(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_bytes("\ufeffFirst line\n\n  Third line  \n".encode())
    assert read_text_lines(path) == [(1, "First line"), (3, "Third line")]
