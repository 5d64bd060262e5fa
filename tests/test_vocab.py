"""The vocabulary (cut-off, specials, placeholders), the genre condition vector and padded batches."""

from __future__ import annotations

import pytest
import torch

from deephype.batch import make_batch
from deephype.errors import ModelError
from deephype.tokens import tokenize
from deephype.vocab import (
    BOS_ID,
    EOS_ID,
    PAD_ID,
    SPECIALS,
    UNK_ID,
    Vocabulary,
    condition_matrix,
    condition_vector,
)

SENTENCES = [tokenize(s) for s in ["the song is warm .", "the song is loud !", "the band is <artist> ."]]


def test_build_orders_specials_placeholders_then_words_by_frequency():
    vocab = Vocabulary.build(SENTENCES, min_count=1)
    assert vocab.words[:4] == SPECIALS
    assert vocab.words[4:6] == ("<artist>", "<song>")
    # "is" and "the" appear 3 times, "song" and "." twice; ties break alphabetically.
    assert vocab.words[6:10] == ("is", "the", ".", "song")


@pytest.mark.parametrize(
    ("min_count", "kept", "dropped"),
    [(1, ["warm", "loud", "band"], []), (2, ["song", "."], ["warm", "loud", "band"]), (4, [], ["the", "is"])],
)
def test_frequency_cut_off(min_count, kept, dropped):
    vocab = Vocabulary.build(SENTENCES, min_count=min_count)
    assert all(word in vocab.index for word in kept)
    assert not any(word in vocab.index for word in dropped)
    assert "<song>" in vocab.index  # placeholders are always there, seen or not


def test_max_size_caps_the_vocabulary():
    assert len(Vocabulary.build(SENTENCES, min_count=1, max_size=8)) == 8


def test_encode_maps_unknown_words_and_decode_stops_at_eos():
    vocab = Vocabulary.build(SENTENCES, min_count=2)
    ids = vocab.encode(["the", "warm", "song"])
    assert ids[1] == UNK_ID
    assert vocab.decode([BOS_ID, *ids, EOS_ID, vocab.index["the"], PAD_ID]) == ["the", "<unk>", "song"]


@pytest.mark.parametrize(
    "words",
    [("<unk>", "<pad>", "<bos>", "<eos>"), ("<pad>", "<unk>", "<bos>", "<eos>", "a", "a")],
    ids=["specials out of order", "duplicate word"],
)
def test_corrupt_vocabulary_is_a_model_error(words):
    with pytest.raises(ModelError):
        Vocabulary(words)


LABELS = ["unknown", "folk", "indie pop", "house"]


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["folk"], [0, 1, 0, 0]),
        (["folk", "house"], [0, 0.5, 0, 0.5]),
        ([], [1, 0, 0, 0]),
        (["a genre the model never saw"], [1, 0, 0, 0]),
        (["folk", "folk", "indie pop"], [0, 0.5, 0.5, 0]),
    ],
)
def test_condition_vector_is_normalised_multi_hot(labels, expected):
    assert condition_vector(labels, LABELS).tolist() == expected


def test_condition_labels_must_include_unknown():
    with pytest.raises(ModelError, match="unknown"):
        condition_vector(["folk"], ["folk", "house"])


def test_make_batch_pads_and_aligns_inputs_with_targets():
    vocab = Vocabulary.build(SENTENCES, min_count=1)
    batch = make_batch(vocab, SENTENCES[:2] + [["warm"]], condition_matrix([["folk"]] * 3, LABELS))
    assert batch.tokens.shape == (3, 7)  # <bos> + 5 words + <eos>
    assert batch.lengths.tolist() == [6, 6, 2]
    assert batch.inputs[:, 0].tolist() == [BOS_ID] * 3
    assert torch.equal(batch.inputs[:, 1:], batch.targets[:, :-1])
    assert batch.targets[2].tolist() == [vocab.index["warm"], EOS_ID, PAD_ID, PAD_ID, PAD_ID, PAD_ID]
    assert batch.mask.sum(dim=1).tolist() == batch.lengths.tolist()


def test_make_batch_needs_one_condition_per_sentence():
    vocab = Vocabulary.build(SENTENCES, min_count=1)
    with pytest.raises(ModelError, match="condition"):
        make_batch(vocab, SENTENCES, torch.zeros(2, 4))
