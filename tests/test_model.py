"""The CVAE and its LM: shapes, the ELBO's terms, overfitting a few sentences, checkpoints, decoding."""

from __future__ import annotations

import math

import pytest
import torch
from tiny_corpus import LABELS, SENTENCES
from torch.distributions import Normal, kl_divergence

from deephype.batch import make_batch
from deephype.checkpoint import load_bundle, load_model, make_checkpoint, model_path, save_checkpoint
from deephype.errors import ModelError
from deephype.likelihood import active_units, encode, importance_terms, lm_log_likelihood, sentence_batch
from deephype.lm import LanguageModel
from deephype.model import CVAE, CVAEConfig, Decoder, elbo_loss, free_bits_kl, gaussian_kl, reverse_padded
from deephype.sampling import DecodeOptions, decode_latent, sample
from deephype.tokens import tokenize
from deephype.vocab import BOS_ID, PAD_ID, UNK_ID, Vocabulary, condition_matrix

TEXTS = [text for text, _, _ in SENTENCES]
VOCAB = Vocabulary.build([tokenize(t) for t in TEXTS], min_count=1)


def tiny_config(**overrides) -> CVAEConfig:
    sizes = {"vocab_size": len(VOCAB), "condition_size": len(LABELS), "embedding_dim": 16, "hidden_dim": 32,
             "latent_dim": 4, "condition_dim": 4}
    return CVAEConfig(**{**sizes, **overrides})


def corpus_batch():
    return sentence_batch(VOCAB, TEXTS, [labels for _, labels, _ in SENTENCES], LABELS)


@pytest.mark.parametrize(("kind", "latent"), [(CVAE, 4), (LanguageModel, 0)])
def test_forward_shapes_and_finite_losses(kind, latent):
    torch.manual_seed(0)
    batch = corpus_batch()
    logits, terms = kind(tiny_config())(batch)
    b, t = batch.targets.shape
    assert logits.shape == (b, t, len(VOCAB))
    assert terms.reconstruction.shape == (b,)
    assert terms.kl.shape == (b, latent)
    loss = elbo_loss(terms, kl_weight=0.5, free_bits=0.1)
    assert torch.isfinite(loss)
    # An untrained model is close to uniform: about log V nats per token.
    per_token = terms.reconstruction.sum() / batch.lengths.sum()
    assert abs(per_token.item() - math.log(len(VOCAB))) < 0.5


def test_gaussian_kl_matches_torch_distributions():
    generator = torch.Generator().manual_seed(1)
    mu, logvar = torch.randn(8, 5, generator=generator) * 2, torch.randn(8, 5, generator=generator)
    expected = kl_divergence(Normal(mu, torch.exp(0.5 * logvar)), Normal(0.0, 1.0))
    assert torch.allclose(gaussian_kl(mu, logvar), expected, atol=1e-5)
    assert torch.allclose(gaussian_kl(torch.zeros(2, 3), torch.zeros(2, 3)), torch.zeros(2, 3))


@pytest.mark.parametrize(
    ("per_dim", "free_bits", "expected"),
    [
        ([0.0, 0.0, 0.0], 0.5, 1.5),  # all below the floor: each counts as the floor
        ([2.0, 0.1, 1.0], 0.5, 3.5),  # mixed: 2.0 + 0.5 + 1.0
        ([2.0, 0.1, 1.0], 0.0, 3.1),  # no free bits: the plain sum
    ],
)
def test_free_bits_floor_each_dimension(per_dim, free_bits, expected):
    kl = torch.tensor([per_dim, per_dim])  # (B=2, Z=3), same in both rows so the batch mean is per_dim
    assert free_bits_kl(kl, free_bits).item() == pytest.approx(expected)


def test_free_bits_give_no_gradient_below_the_floor():
    kl = torch.tensor([[2.0, 0.1]], requires_grad=True)
    free_bits_kl(kl, 0.5).backward()
    assert kl.grad.tolist() == [[1.0, 0.0]]


def test_reverse_padded_reverses_only_the_sentence():
    x = torch.tensor([[1, 2, 3, 0], [4, 5, 6, 7]]).unsqueeze(-1)  # (B=2, T=4, E=1)
    assert reverse_padded(x, torch.tensor([3, 4])).squeeze(-1).tolist() == [[3, 2, 1, 0], [7, 6, 5, 4]]


def test_encoding_ignores_padding():
    torch.manual_seed(0)
    model = CVAE(tiny_config()).eval()
    alone = encode(model, VOCAB, TEXTS[1:2])[0]
    padded = encode(model, VOCAB, [TEXTS[1], TEXTS[0] + " " + TEXTS[3]])[0][:1]
    assert torch.allclose(alone, padded, atol=1e-6)


def test_word_dropout_replaces_words_but_never_bos_or_padding():
    decoder = Decoder(tiny_config(word_dropout=1.0), context_dim=3)
    inputs = torch.tensor([[BOS_ID, 7, 8, PAD_ID]])
    assert decoder._drop_words(inputs).tolist() == [[BOS_ID, UNK_ID, UNK_ID, PAD_ID]]


def train_briefly(model, batch, steps: int) -> None:
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    model.train()
    for _ in range(steps):
        _, terms = model(batch)
        loss = elbo_loss(terms, kl_weight=0.1, free_bits=0.0)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def token_accuracy(model, batch) -> float:
    model.eval()
    with torch.no_grad():
        logits, _ = model(batch, torch.Generator().manual_seed(0))
    return (((logits.argmax(-1) == batch.targets) & batch.mask).sum() / batch.mask.sum()).item()


@pytest.mark.slow
def test_tiny_cvae_overfits_a_handful_of_sentences():
    torch.manual_seed(0)
    model, batch = CVAE(tiny_config(dropout=0.0, word_dropout=0.0, hidden_dim=64)), corpus_batch()
    before = token_accuracy(model, batch)
    train_briefly(model, batch, steps=120)
    after = token_accuracy(model, batch)
    assert before < 0.2
    assert after > 0.9


def trained_cvae() -> CVAE:
    torch.manual_seed(0)
    model = CVAE(tiny_config(dropout=0.0, word_dropout=0.0))
    train_briefly(model, corpus_batch(), steps=30)
    return model.eval()


@pytest.mark.parametrize("half", [False, True])
def test_checkpoint_round_trip_with_weights_only(tmp_path, half):
    model = trained_cvae()
    checkpoint = make_checkpoint("cvae", model, VOCAB, LABELS, {"name": "t"}, {"val_ppl": 3.5}, half=half)
    path = save_checkpoint(checkpoint, tmp_path / "cvae.pt")
    raw = torch.load(path, weights_only=True)
    assert raw["vocabulary"] == list(VOCAB.words) and raw["metrics"] == {"val_ppl": 3.5}
    loaded = load_model(path, kind="cvae")
    assert loaded.vocab == VOCAB and loaded.conditions == tuple(LABELS) and not loaded.model.training
    batch, generator = corpus_batch(), lambda: torch.Generator().manual_seed(5)
    with torch.no_grad():
        expected, _ = model(batch, generator())
        actual, _ = loaded.model(batch, generator())
    assert torch.allclose(actual, expected, atol=0.05 if half else 1e-6)


def save_tiny(tmp_path, kind="cvae", vocab=VOCAB, model=None, name=None):
    model = model or (CVAE if kind == "cvae" else LanguageModel)(tiny_config(vocab_size=len(vocab)))
    checkpoint = make_checkpoint(kind, model, vocab, LABELS, {}, {})
    return save_checkpoint(checkpoint, tmp_path / (name or f"{kind}.pt")), checkpoint


def test_missing_checkpoint_says_how_to_make_one(tmp_path):
    with pytest.raises(ModelError, match="train"):
        load_model(tmp_path / "nothing.pt")


@pytest.mark.parametrize("content", [b"", b"not a checkpoint at all", b"PK\x03\x04garbage"])
def test_corrupt_checkpoint_is_a_model_error(tmp_path, content):
    path = tmp_path / "cvae.pt"
    path.write_bytes(content)
    with pytest.raises(ModelError, match="cvae.pt"):
        load_model(path)


def test_checkpoint_that_is_not_ours_is_a_model_error(tmp_path):
    torch.save({"state_dict": {}}, tmp_path / "other.pt")
    with pytest.raises(ModelError, match="not a deephype-checkpoint"):
        load_model(tmp_path / "other.pt")


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda c: c["vocabulary"].pop(), "expects"),
        (lambda c: c["config"].update(hidden_dim=64), "do not match"),
        (lambda c: c["config"].pop("latent_dim"), "config does not match"),
        (lambda c: c["model"].pop("to_mu.weight"), "do not match"),
        (lambda c: c.pop("conditions"), "corrupt"),
    ],
    ids=["vocabulary shorter than config", "config sizes", "config keys", "missing weights", "missing labels"],
)
def test_mismatched_checkpoint_is_a_model_error(tmp_path, tamper, message):
    path, checkpoint = save_tiny(tmp_path)
    tamper(checkpoint)
    save_checkpoint(checkpoint, path)
    with pytest.raises(ModelError, match=message):
        load_model(path)


def test_wrong_kind_is_a_model_error(tmp_path):
    path, _ = save_tiny(tmp_path, kind="lm")
    with pytest.raises(ModelError, match="lm model, expected a cvae"):
        load_model(path, kind="cvae")


def test_bundle_models_must_share_a_vocabulary(tmp_path):
    save_tiny(tmp_path, kind="cvae")
    other = Vocabulary.build([tokenize(t) for t in TEXTS[:3]], min_count=1)
    save_tiny(tmp_path, kind="lm", vocab=other)
    with pytest.raises(ModelError, match="different vocabulary"):
        load_bundle(tmp_path)
    save_tiny(tmp_path, kind="lm")
    cvae, lm = load_bundle(tmp_path)
    assert (cvae.kind, lm.kind) == ("cvae", "lm") and cvae.path == model_path(tmp_path, "cvae")


CONDITION = condition_matrix([["folk"], ["indie pop"]] * 8, LABELS)  # (16, C)


@pytest.mark.parametrize("kind", [CVAE, LanguageModel])
def test_seeded_sampling_is_deterministic_and_clean(kind):
    torch.manual_seed(0)
    model = kind(tiny_config()).eval()
    options = DecodeOptions(max_tokens=12, temperature=1.0, top_p=1.0)
    first, again = sample(model, VOCAB, CONDITION, seed=7, options=options), sample(model, VOCAB, CONDITION, 7, options)
    other = sample(model, VOCAB, CONDITION, seed=8, options=options)
    assert first == again
    assert first != other
    for decoded in first:
        assert 1 <= len(decoded.tokens) <= 12
        assert "<unk>" not in decoded.tokens
        assert all(a != b for a, b in zip(decoded.tokens, decoded.tokens[1:], strict=False))
        assert decoded.finished == (len(decoded.tokens) < 12 or decoded.finished)


def test_trained_model_finishes_its_samples():
    model = trained_cvae()
    decoded = sample(model, VOCAB, CONDITION, seed=1, options=DecodeOptions(max_tokens=30, temperature=0.5))
    assert sum(d.finished for d in decoded) / len(decoded) >= 0.9


def test_greedy_decode_of_a_latent_is_repeatable():
    model = trained_cvae()
    mu, logvar = encode(model, VOCAB, TEXTS[:2])
    assert mu.shape == logvar.shape == (2, 4)
    condition = condition_matrix([["folk"], ["folk"]], LABELS)
    first, again = decode_latent(model, VOCAB, mu, condition), decode_latent(model, VOCAB, mu, condition)
    assert first == again and all(d.tokens for d in first)


def test_importance_weighted_nll_is_at_most_the_elbo_on_the_same_samples():
    model, batch = trained_cvae(), corpus_batch()
    terms = importance_terms(model, batch, k=6, generator=torch.Generator().manual_seed(3))
    assert terms.log_px_z.shape == terms.log_pz.shape == terms.log_qz_x.shape == (len(batch), 6)
    negative_elbo = -(terms.log_px_z + terms.log_pz - terms.log_qz_x).mean(dim=1)
    assert torch.all(terms.nll() <= negative_elbo + 1e-5)
    assert torch.all(terms.nll() > 0)


def test_lm_log_likelihood_is_minus_the_reconstruction():
    torch.manual_seed(0)
    model, batch = LanguageModel(tiny_config()).eval(), corpus_batch()
    with torch.no_grad():
        _, terms = model(batch)
    assert torch.allclose(lm_log_likelihood(model, batch), -terms.reconstruction)


@pytest.mark.parametrize(
    ("mu", "expected"),
    [(torch.zeros(10, 3), 0), (torch.cat([torch.linspace(-1, 1, 10).unsqueeze(1), torch.zeros(10, 2)], 1), 1)],
)
def test_active_units_count_dimensions_whose_mean_varies(mu, expected):
    assert active_units(mu) == expected


def test_make_batch_of_the_corpus_round_trips_through_the_vocabulary():
    batch = make_batch(VOCAB, [tokenize(TEXTS[0])], condition_matrix([["folk"]], LABELS))
    assert VOCAB.decode(batch.tokens[0].tolist()) == tokenize(TEXTS[0])
