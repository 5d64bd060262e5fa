"""Nucleus (top-p) sampling: the binned nucleus matches a sort of the whole vocabulary."""

import pytest
import torch

from deephype.sampling import NUCLEUS_BIN_NATS, NUCLEUS_BINS, DecodeOptions, nucleus_mask, pick

FINE_NATS = NUCLEUS_BIN_NATS / NUCLEUS_BINS  # tokens closer than this to the cut-off may fall either way


def sorted_nucleus(probs: torch.Tensor, top_p: float) -> torch.Tensor:
    """The textbook nucleus: sort, keep a token while the mass before it is under top_p."""
    ordered, ids = probs.sort(dim=-1, descending=True)
    keep = (ordered.cumsum(dim=-1) - ordered) < top_p
    return torch.zeros_like(probs, dtype=torch.bool).scatter(1, ids, keep)


@pytest.mark.parametrize("scale", [0.5, 2.0, 5.0, 12.0])  # flat to peaked distributions
@pytest.mark.parametrize("top_p", [0.5, 0.9, 0.95])
def test_binned_nucleus_is_the_sorted_one(scale, top_p):
    logits = torch.randn(64, 5000, generator=torch.Generator().manual_seed(int(scale * 100))) * scale
    log_probs = torch.log_softmax(logits, dim=-1)
    probs = log_probs.exp()
    binned = nucleus_mask(log_probs, probs, top_p).bool()
    exact = sorted_nucleus(probs, top_p)
    cutoff = torch.where(exact, log_probs, torch.inf).min(dim=1, keepdim=True).values  # (N, 1)
    assert bool((exact & ~binned).sum() == 0)  # every token of the nucleus stays
    extra = binned & ~exact
    assert bool((log_probs[extra] >= (cutoff.expand_as(log_probs)[extra] - FINE_NATS)).all())  # only near-ties
    kept_mass = (probs * binned).sum(dim=1)
    assert bool((kept_mass >= top_p - 1e-5).all()) and bool((kept_mass <= (probs * exact).sum(dim=1) + 1e-2).all())


def test_a_certain_token_is_all_the_nucleus():
    logits = torch.full((3, 100), -30.0)
    logits[:, 7] = 10.0
    log_probs = torch.log_softmax(logits, dim=-1)
    assert nucleus_mask(log_probs, log_probs.exp(), 0.9).nonzero()[:, 1].tolist() == [7, 7, 7]


def test_pick_draws_only_from_the_nucleus_in_proportion():
    logits = torch.tensor([[5.0, 4.0, 0.0, -1.0, -3.0]]).expand(4000, -1)  # probabilities .726 .267 .005 ...
    picked = pick(logits, DecodeOptions(temperature=1.0, top_p=0.9), torch.Generator().manual_seed(3))
    counts = torch.bincount(picked, minlength=5)
    assert counts[2:].sum() == 0  # the mass before the third token is .993, past 0.9
    assert abs(counts[0] / 4000 - 0.726 / 0.993) < 0.03
