"""The plain LSTM language model: the CVAE's decoder with no latent, still conditioned on the genres `a`.

Trained by the same recipe on the same sentences, it is the yardstick for the CVAE's likelihood and the judge
of any text's fluency (`deephype score`).
"""

from __future__ import annotations

import torch
from torch import nn

from deephype.batch import Batch
from deephype.model import CVAEConfig, Decoder, LossTerms, sentence_nll


class LanguageModel(nn.Module):
    """p(x|a) by the CVAE's Decoder on proj(a). Takes the CVAE's config and ignores `latent_dim`."""

    def __init__(self, config: CVAEConfig):
        super().__init__()
        self.config = config
        self.condition = nn.Linear(config.condition_size, config.condition_dim)
        self.decoder = Decoder(config, config.condition_dim)

    def context(self, condition: torch.Tensor) -> torch.Tensor:
        return self.condition(condition)  # (B, Ca)

    def forward(self, batch: Batch, generator: torch.Generator | None = None) -> tuple[torch.Tensor, LossTerms]:
        logits, _ = self.decoder(batch.inputs, self.context(batch.condition))  # (B, T, V)
        no_latent = logits.new_zeros(len(batch), 0)  # (B, 0): the loss is reconstruction alone
        return logits, LossTerms(reconstruction=sentence_nll(logits, batch.targets), kl=no_latent)
