"""The conditional sentence VAE (Bowman et al. 2016; Sohn et al. 2015 for the condition): encoder, decoder, ELBO.

An LSTM encoder reads a sentence into a Gaussian posterior q(z|x); an LSTM decoder, fed cat(z, a) at every step
and started from a state computed from it, writes the sentence back. `a` is the song's genre condition vector.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from deephype.batch import Batch
from deephype.vocab import BOS_ID, PAD_ID, UNK_ID


@dataclass(frozen=True)
class CVAEConfig:
    vocab_size: int  # from the vocabulary the model is trained with
    condition_size: int  # number of condition labels: the length of `a`
    embedding_dim: int = 256  # shared by encoder and decoder, and tied to the output layer (saves V x H weights)
    hidden_dim: int = 512  # decoder LSTM; the encoder reads each direction with hidden_dim // 2
    latent_dim: int = 32  # z; with free bits, enough dimensions to carry several nats without collapse
    condition_dim: int = 32  # `a` is projected to this size before it meets z
    dropout: float = 0.3  # on embeddings and decoder outputs: the corpus is small and overfits fast
    word_dropout: float = 0.25  # Bowman et al. 2016: decoder inputs -> <unk>, so the decoder must lean on z


@dataclass(frozen=True)
class LossTerms:
    reconstruction: torch.Tensor  # (B,) -log p(x|z) summed over a sentence's tokens
    kl: torch.Tensor  # (B, Z) KL(q(z|x) || N(0, I)) per latent dimension; (B, 0) for the plain LM


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, exp(logvar)) || N(0, I)) per dimension, closed form (Kingma & Welling 2014, appendix B)."""
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar)


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    noise = torch.randn(mu.shape, generator=generator, dtype=mu.dtype)
    return mu + noise * torch.exp(0.5 * logvar)


def free_bits_kl(kl: torch.Tensor, free_bits: float) -> torch.Tensor:
    """Sum over dimensions of the batch-mean KL, each dimension floored at `free_bits` nats (Kingma et al. 2016).

    Below the floor a dimension's KL has no gradient, so the optimiser has no reason to switch it off.
    """
    if kl.shape[1] == 0:
        return kl.new_zeros(())
    return torch.clamp(kl.mean(dim=0), min=free_bits).sum()


def elbo_loss(terms: LossTerms, kl_weight: float, free_bits: float) -> torch.Tensor:
    """Negative ELBO per sentence, summed over tokens (Bowman et al. 2016), KL annealed and floored."""
    return terms.reconstruction.mean() + kl_weight * free_bits_kl(terms.kl, free_bits)


def sentence_nll(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """-log p of each sentence's targets, summed over its tokens (padding ignored): (B, T, V), (B, T) -> (B,)."""
    # Rows of (B*T, V): over 3x faster than cross_entropy on the strided (B, V, T) view.
    nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=PAD_ID,
                          reduction="none")  # (B*T,)
    return nll.view(targets.shape).sum(dim=1)


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each sequence's first `lengths` steps, leaving its padding in place: (B, T, E) -> (B, T, E)."""
    positions = torch.arange(x.shape[1]).unsqueeze(0)  # (1, T)
    source = lengths.unsqueeze(1) - 1 - positions  # (B, T)
    source = torch.where(source >= 0, source, positions)
    return x.gather(1, source.unsqueeze(-1).expand(-1, -1, x.shape[2]))


class Decoder(nn.Module):
    """An LSTM language model over a fixed context vector: read at every step and the source of the first state."""

    def __init__(self, config: CVAEConfig, context_dim: int):
        super().__init__()
        self.embedding = nn.Embedding(config.vocab_size, config.embedding_dim, padding_idx=PAD_ID)
        self.word_dropout = config.word_dropout
        self.dropout = nn.Dropout(config.dropout)
        self.initial = nn.Linear(context_dim, 2 * config.hidden_dim)
        self.lstm = nn.LSTM(config.embedding_dim + context_dim, config.hidden_dim, batch_first=True)
        self.project = nn.Linear(config.hidden_dim, config.embedding_dim)
        self.output_bias = nn.Parameter(torch.zeros(config.vocab_size))

    def initial_state(self, context: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h, c = torch.tanh(self.initial(context)).chunk(2, dim=-1)  # (B, H) each
        return h.unsqueeze(0).contiguous(), c.unsqueeze(0).contiguous()  # (1, B, H) each

    def forward(self, inputs: torch.Tensor, context: torch.Tensor, state=None) -> tuple[torch.Tensor, tuple]:
        """Logits for the next token at every position: (B, T) ids, (B, K) context -> (B, T, V), new state."""
        if self.training and self.word_dropout > 0:
            inputs = self._drop_words(inputs)
        x = self.dropout(self.embedding(inputs))  # (B, T, E)
        x = torch.cat([x, context.unsqueeze(1).expand(-1, x.shape[1], -1)], dim=-1)  # (B, T, E+K)
        state = self.initial_state(context) if state is None else state
        out, state = self.lstm(x, state)  # (B, T, H)
        hidden = self.project(self.dropout(out))  # (B, T, E)
        return hidden @ self.embedding.weight.T + self.output_bias, state  # (B, T, V)

    def _drop_words(self, inputs: torch.Tensor) -> torch.Tensor:
        dropped = (torch.rand(inputs.shape) < self.word_dropout) & (inputs != PAD_ID) & (inputs != BOS_ID)
        return inputs.masked_fill(dropped, UNK_ID)


class CVAE(nn.Module):
    """q(z|x) by a bidirectional LSTM (two one-way ones); p(x|z, a) by the Decoder on cat(z, proj(a)); prior N(0, I)."""

    def __init__(self, config: CVAEConfig):
        super().__init__()
        self.config = config
        self.decoder = Decoder(config, config.latent_dim + config.condition_dim)
        self.dropout = nn.Dropout(config.dropout)
        # The encoder does not see `a`: z then holds what the genres don't say, so a sentence's z can be
        # decoded with another song's genres, and encode() needs only the sentence.
        # Two one-way LSTMs rather than one bidirectional: on CPU, torch's bidirectional and packed LSTMs run
        # several times slower, and with causal LSTMs the padding after a sentence cannot touch its last state.
        half = config.hidden_dim // 2
        self.encoder_forward = nn.LSTM(config.embedding_dim, half, batch_first=True)
        self.encoder_backward = nn.LSTM(config.embedding_dim, half, batch_first=True)
        self.to_mu = nn.Linear(2 * half, config.latent_dim)
        self.to_logvar = nn.Linear(2 * half, config.latent_dim)
        self.condition = nn.Linear(config.condition_size, config.condition_dim)

    def encode(self, tokens: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Posterior parameters for (B, T) ids of `lengths` tokens each -> mu, logvar (B, Z) each."""
        x = self.dropout(self.decoder.embedding(tokens))  # (B, T, E), the decoder's embedding shared
        last = (lengths - 1).view(-1, 1, 1).expand(-1, 1, self.encoder_forward.hidden_size)  # (B, 1, H/2)
        forward, _ = self.encoder_forward(x)  # (B, T, H/2)
        backward, _ = self.encoder_backward(reverse_padded(x, lengths))  # (B, T, H/2), each sentence read backwards
        summary = torch.cat([forward.gather(1, last), backward.gather(1, last)], dim=-1).squeeze(1)  # (B, H)
        return self.to_mu(summary), self.to_logvar(summary)

    def context(self, z: torch.Tensor, condition: torch.Tensor) -> torch.Tensor:
        return torch.cat([z, self.condition(condition)], dim=-1)  # (B, Z + Ca)

    def forward(self, batch: Batch, generator: torch.Generator | None = None) -> tuple[torch.Tensor, LossTerms]:
        mu, logvar = self.encode(batch.targets, batch.lengths)  # (B, Z) each
        z = reparameterize(mu, logvar, generator)  # (B, Z)
        logits, _ = self.decoder(batch.inputs, self.context(z, batch.condition))  # (B, T, V)
        terms = LossTerms(reconstruction=sentence_nll(logits, batch.targets), kl=gaussian_kl(mu, logvar))
        return logits, terms
