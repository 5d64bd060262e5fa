"""Batched decoding: sample many sentences at once (temperature, top-p), or decode given latents greedily.

At decode time <unk> and immediate repeats of the previous token are forbidden: that alone removes the
"and and and ..." word salad of ancestral sampling, at no cost to training.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from deephype.lm import LanguageModel
from deephype.model import CVAE, Decoder
from deephype.vocab import BOS_ID, EOS_ID, PAD_ID, UNK_ID, Vocabulary

NUCLEUS_BINS = 128  # per level of nucleus_mask; 128 coarse bins of 0.125 nats reach 16 nats down
NUCLEUS_BIN_NATS = 0.125


@dataclass(frozen=True)
class Decoded:
    tokens: tuple[str, ...]  # without <bos> / <eos>
    finished: bool  # True when the decoder emitted <eos> within max_tokens


@dataclass(frozen=True)
class DecodeOptions:
    max_tokens: int = 40  # decoding steps, <eos> included
    temperature: float = 0.8  # below 1 sharpens the distribution; ignored by greedy decoding
    top_p: float = 0.9  # nucleus sampling (Holtzman et al. 2020): sample only from the top-p probability mass
    greedy: bool = False
    forbid_unk: bool = True
    forbid_repeats: bool = True  # never emit the token just emitted


def sample(model: CVAE | LanguageModel, vocab: Vocabulary, condition: torch.Tensor, seed: int = 0,
           options: DecodeOptions = DecodeOptions()) -> list[Decoded]:
    """One sentence per row of `condition` (N, C); for the CVAE, z is drawn from the prior N(0, I).

    The same seed, model and inputs give the same sentences.
    """
    generator = torch.Generator().manual_seed(seed)
    if isinstance(model, CVAE):
        z = torch.randn(condition.shape[0], model.config.latent_dim, generator=generator)  # (N, Z)
        return decode_latent(model, vocab, z, condition, options, generator)
    with torch.inference_mode():
        context = model.context(condition.float())  # (N, Ca)
    return decode(model.decoder, context, vocab, options, generator)


def decode_latent(model: CVAE, vocab: Vocabulary, z: torch.Tensor, condition: torch.Tensor,
                  options: DecodeOptions = DecodeOptions(greedy=True),
                  generator: torch.Generator | None = None) -> list[Decoded]:
    """Decode given latents (N, Z) with conditions (N, C): greedy by default, as for interpolation."""
    with torch.inference_mode():
        context = model.context(z.float(), condition.float())  # (N, Z + Ca)
    return decode(model.decoder, context, vocab, options, generator)


@torch.inference_mode()
def decode(decoder: Decoder, context: torch.Tensor, vocab: Vocabulary, options: DecodeOptions,
           generator: torch.Generator | None = None) -> list[Decoded]:
    """Run the decoder step by step from <bos> for a batch of contexts (N, K) until all emit <eos>.

    Finished rows leave the batch, so the later steps only pay for the sentences still being written.
    """
    was_training = decoder.training
    decoder.eval()
    n = context.shape[0]
    ids = torch.full((n, options.max_tokens), PAD_ID, dtype=torch.long)  # (N, max_tokens)
    alive = torch.arange(n)  # rows still writing
    state = decoder.initial_state(context)
    previous = torch.full((n,), BOS_ID, dtype=torch.long)  # (alive,)
    for step in range(options.max_tokens):
        logits, state = decoder(previous.unsqueeze(1), context, state)  # (alive, 1, V)
        logits = forbid(logits[:, -1], previous, step, options)  # (alive, V)
        chosen = logits.argmax(dim=-1) if options.greedy else pick(logits, options, generator)  # (alive,)
        ids[alive, step] = chosen
        going = chosen != EOS_ID
        if not bool(going.all()):
            alive, chosen, context = alive[going], chosen[going], context[going]
            state = (state[0][:, going], state[1][:, going])
        if alive.numel() == 0:
            break
        previous = chosen
    decoder.train(was_training)
    return [Decoded(tokens=tuple(vocab.decode(row)), finished=EOS_ID in row) for row in ids.tolist()]


def forbid(logits: torch.Tensor, previous: torch.Tensor, step: int, options: DecodeOptions) -> torch.Tensor:
    """Mask tokens that must never come next: specials, <eos> first (empty sentence), the repeat, <unk>."""
    logits = logits.clone()
    logits[:, [PAD_ID, BOS_ID]] = -torch.inf
    if step == 0:
        logits[:, EOS_ID] = -torch.inf
    if options.forbid_unk:
        logits[:, UNK_ID] = -torch.inf
    if options.forbid_repeats:
        logits.scatter_(1, previous.unsqueeze(1), -torch.inf)
    return logits


def pick(logits: torch.Tensor, options: DecodeOptions, generator: torch.Generator | None) -> torch.Tensor:
    """Sample one token per row from the temperature-scaled nucleus of `logits` (N, V) -> (N,)."""
    log_probs = torch.log_softmax(logits / max(options.temperature, 1e-6), dim=-1)  # (N, V)
    probs = log_probs.exp()
    if options.top_p >= 1.0:
        return draw(probs, generator)
    return draw(probs * nucleus_mask(log_probs, probs, options.top_p), generator)


def nucleus_mask(log_probs: torch.Tensor, probs: torch.Tensor, top_p: float) -> torch.Tensor:
    """1.0 for the tokens of each row's top-p nucleus (Holtzman et al. 2020), else 0.0: (N, V).

    A token stays while the mass of the likelier tokens is under top_p, so the most likely token always stays.
    Sorting the vocabulary every step cost as much as the decoder step itself; instead, tokens are binned by
    log-probability twice (coarse bins, then fine bins within the bin where the mass crosses top_p), which finds
    the same set up to tokens whose probabilities differ by less than 0.2%."""
    depth = (-log_probs / NUCLEUS_BIN_NATS).clamp(max=NUCLEUS_BINS - 1)  # (N, V): bins counted down from the top
    coarse = depth.floor()
    crossing, mass_before = crossing_bin(coarse, probs, torch.zeros(probs.shape[0]), top_p)  # (N,) each
    in_crossing = coarse == crossing.unsqueeze(1)  # (N, V)
    fine = ((depth - coarse) * NUCLEUS_BINS).floor().masked_fill(~in_crossing, NUCLEUS_BINS - 1)
    fine_crossing, _ = crossing_bin(fine, probs * in_crossing, mass_before, top_p)
    kept = (coarse < crossing.unsqueeze(1)) | (in_crossing & (fine <= fine_crossing.unsqueeze(1)))
    return kept.to(probs.dtype)


def crossing_bin(bins: torch.Tensor, probs: torch.Tensor, mass_before: torch.Tensor,
                 top_p: float) -> tuple[torch.Tensor, torch.Tensor]:
    """The first bin (N,) at which `mass_before` plus the mass of the bins so far reaches top_p, and the mass
    before that bin (N,); `bins` (N, V) holds each token's bin as a float in [0, NUCLEUS_BINS)."""
    mass = torch.zeros(probs.shape[0], NUCLEUS_BINS).scatter_add_(1, bins.long(), probs)  # (N, B)
    reached = mass_before.unsqueeze(1) + mass.cumsum(dim=1)  # (N, B)
    crossing = (reached < top_p).sum(dim=1).clamp(max=NUCLEUS_BINS - 1)  # (N,)
    before = reached.gather(1, crossing.unsqueeze(1)).squeeze(1) - mass.gather(1, crossing.unsqueeze(1)).squeeze(1)
    return crossing.to(bins.dtype), before


def draw(weights: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    """One column per row, with probability proportional to `weights` (N, V), by inverting the CDF."""
    cdf = weights.cumsum(dim=-1)  # (N, V)
    u = torch.rand(weights.shape[0], 1, generator=generator) * cdf[:, -1:]  # (N, 1)
    return torch.searchsorted(cdf, u, right=True).clamp(max=weights.shape[-1] - 1).squeeze(1)
