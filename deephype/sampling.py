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

NUCLEUS_CANDIDATES = 1024


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
    probs = torch.softmax(logits / max(options.temperature, 1e-6), dim=-1)  # (N, V)
    if options.top_p >= 1.0:
        return draw(probs, generator)
    # A full sort of the vocabulary costs more than the decoder step, and the nucleus nearly always lies
    # within the top thousand tokens: sort those, and sort in full only the rows where it does not.
    top, ids = probs.topk(min(NUCLEUS_CANDIDATES, probs.shape[-1]), dim=-1)  # (N, k) each, descending
    short = top.sum(dim=-1) < options.top_p  # (N,) rows whose nucleus reaches past the top k
    picked = torch.empty(probs.shape[0], dtype=torch.long)
    picked[~short] = from_nucleus(top[~short], ids[~short], options.top_p, generator)
    if bool(short.any()):
        picked[short] = from_nucleus(*probs[short].sort(dim=-1, descending=True), options.top_p, generator)
    return picked


def from_nucleus(sorted_probs: torch.Tensor, ids: torch.Tensor, top_p: float,
                 generator: torch.Generator | None) -> torch.Tensor:
    """Draw from the top_p mass of descending rows (Holtzman et al. 2020); `ids` maps columns to tokens.

    A token stays while the mass before it is under top_p, so the most likely token always stays."""
    kept = sorted_probs.masked_fill(sorted_probs.cumsum(dim=-1) - sorted_probs >= top_p, 0.0)
    return ids.gather(1, draw(kept, generator).unsqueeze(1)).squeeze(1)


def draw(weights: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    """One column per row, with probability proportional to `weights` (N, V), by inverting the CDF."""
    cdf = weights.cumsum(dim=-1)  # (N, V)
    u = torch.rand(weights.shape[0], 1, generator=generator) * cdf[:, -1:]  # (N, 1)
    return torch.searchsorted(cdf, u, right=True).clamp(max=weights.shape[-1] - 1).squeeze(1)
