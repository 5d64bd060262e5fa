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
    """Run the decoder step by step from <bos> for a batch of contexts (N, K) until all emit <eos>."""
    was_training = decoder.training
    decoder.eval()
    n = context.shape[0]
    state = decoder.initial_state(context)
    previous = torch.full((n,), BOS_ID, dtype=torch.long)  # (N,)
    done = torch.zeros(n, dtype=torch.bool)
    steps = []
    for step in range(options.max_tokens):
        logits, state = decoder(previous.unsqueeze(1), context, state)  # (N, 1, V)
        logits = forbid(logits[:, -1], previous, step, options)  # (N, V)
        chosen = logits.argmax(dim=-1) if options.greedy else pick(logits, options, generator)  # (N,)
        chosen = chosen.masked_fill(done, PAD_ID)
        steps.append(chosen)
        done |= chosen == EOS_ID
        previous = chosen
        if done.all():
            break
    decoder.train(was_training)
    ids = torch.stack(steps, dim=1).tolist() if steps else [[] for _ in range(n)]  # (N, steps)
    return [Decoded(tokens=tuple(vocab.decode(row)), finished=EOS_ID in row) for row in ids]


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
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    # Keep each token whose preceding mass is still under top_p, so the most likely token always stays.
    outside = sorted_probs.cumsum(dim=-1) - sorted_probs >= options.top_p
    sorted_probs = sorted_probs.masked_fill(outside, 0.0)
    choice = torch.multinomial(sorted_probs, 1, generator=generator)  # (N, 1) position in the sorted order
    return order.gather(1, choice).squeeze(1)
