"""Homotopies (Bowman et al. 2016, section 4.2): greedy decodes of evenly spaced points on the line between two
sentences' posterior means, all with one genre condition, to show what the latent space holds between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from deephype.checkpoint import LoadedModel
from deephype.conditions import ConditionLabels
from deephype.errors import InputError
from deephype.likelihood import encode
from deephype.model import CVAE
from deephype.sampling import DecodeOptions, decode_latent
from deephype.tokens import detokenize, tokenize
from deephype.vocab import condition_vector

GREEDY = DecodeOptions(greedy=True)  # a homotopy shows the mode at each point, not one sample of it


@dataclass(frozen=True)
class Point:
    t: float  # 0 at the first sentence's posterior mean, 1 at the second's
    text: str  # the greedy decode, detokenised (placeholders left in place)
    finished: bool  # False when the decode ran out of steps before <eos>


@dataclass(frozen=True)
class Homotopy:
    labels: tuple[str, ...]  # the condition labels the genres mapped to
    unknown: tuple[str, ...]  # words of the two sentences the vocabulary lacks (read as <unk>)
    points: list[Point]


def interpolate(loaded: LoadedModel, first: str, second: str, steps: int = 5, genres: Sequence[str] = (),
                options: DecodeOptions = GREEDY) -> Homotopy:
    """Decode `steps` points between the two sentences, and both ends: steps + 2 points in all."""
    if loaded.kind != "cvae":
        raise InputError(f"{loaded.path} holds a {loaded.kind} model: interpolation needs the CVAE's latent space")
    if steps < 0:
        raise InputError(f"--steps must be 0 or more, got {steps}")
    texts = [first, second]
    for name, text in zip(("first", "second"), texts, strict=True):
        if not tokenize(text):
            raise InputError(f"the {name} sentence is empty: give two sentences to interpolate between")
    model: CVAE = loaded.model  # type: ignore[assignment]
    mu, _ = encode(model, loaded.vocab, texts)  # (2, Z)
    t = torch.linspace(0.0, 1.0, steps + 2).unsqueeze(1)  # (S, 1)
    z = (1 - t) * mu[0] + t * mu[1]  # (S, Z)
    labels = ConditionLabels(list(loaded.conditions)).map(genres)
    condition = condition_vector(labels, loaded.conditions).expand(z.shape[0], -1)  # (S, C)
    decoded = decode_latent(model, loaded.vocab, z, condition, options)
    unknown = tuple(dict.fromkeys(w for text in texts for w in tokenize(text) if w not in loaded.vocab.index))
    points = [Point(t=float(ti), text=detokenize(list(d.tokens)), finished=d.finished)
              for ti, d in zip(t.squeeze(1).tolist(), decoded, strict=True)]
    return Homotopy(labels=labels, unknown=unknown, points=points)
