"""A re-creation of the original deephypebot CVAE, for the throughput benchmark only: same sizes, same loop.

The original (pytorch-text-vae, 2018) trained one sentence per optimiser step: a 2-layer bidirectional GRU 512
encoder over a 512-wide embedding, z of 128, a 16-wide condition projection, and a GRU 512 decoder run one token
at a time in a Python loop, with word dropout and scheduled teacher forcing decided per token. Its loss was the
token-mean cross-entropy plus a KL term (written with log-variance taken for log-sigma) clamped at 0.2 nats and
annealed. It generated one sample at a time for a fixed number of steps. We keep all of that, so the benchmark
times the design; where we depart, it is in the original's favour (generation under no_grad).
"""

from __future__ import annotations

import random

import torch
import torch.nn.functional as F
from torch import nn

from deephype.vocab import BOS_ID, UNK_ID

HIDDEN = 512  # encoder and decoder GRUs, and both embeddings
LATENT = 128
CONDITION = 16
ENCODER_LAYERS = 2
WORD_DROPOUT = 0.25
HABITS_LAMBDA = 0.2  # the original's floor on the mean KL
LEARNING_RATE = 1e-4
GRAD_CLIP = 10.0


class OriginalEncoder(nn.Module):
    def __init__(self, vocab_size: int):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, HIDDEN)
        self.gru = nn.GRU(HIDDEN, HIDDEN, ENCODER_LAYERS, dropout=0.1, bidirectional=True)
        self.to_params = nn.Linear(HIDDEN, 2 * LATENT)

    def forward(self, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """One sentence (T,) -> mu, logvar, z, each (1, LATENT)."""
        output, _ = self.gru(self.embed(ids).unsqueeze(1), None)  # (T, 1, 2H)
        last = output[-1]  # (1, 2H): the last step, both directions
        summed = last[:, :HIDDEN] + last[:, HIDDEN:]  # (1, H): the two directions added
        mu, logvar = self.to_params(summed).chunk(2, dim=1)
        return mu, logvar, mu + torch.randn_like(mu) * torch.exp(logvar / 2)


class OriginalDecoder(nn.Module):
    def __init__(self, vocab_size: int, n_conditions: int):
        super().__init__()
        context = LATENT + CONDITION
        self.embed = nn.Embedding(vocab_size, HIDDEN)
        self.gru = nn.GRU(HIDDEN + context, HIDDEN)
        self.to_hidden = nn.Linear(context, HIDDEN)
        self.squash_condition = nn.Linear(n_conditions, CONDITION)
        self.out = nn.Linear(HIDDEN + context, vocab_size)

    def start(self, z: torch.Tensor, condition: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        context = torch.cat([z, self.squash_condition(condition)], dim=1)  # (1, Z + C)
        return context, self.to_hidden(context).unsqueeze(0)  # (1, Z + C), (1, 1, H)

    def step(self, token: torch.Tensor, context: torch.Tensor, hidden: torch.Tensor):
        """One token (1,) -> logits (1, V) and the next hidden state."""
        x = torch.cat([F.relu(self.embed(token)), context], dim=1).unsqueeze(0)  # (1, 1, H + Z + C)
        output, hidden = self.gru(x, hidden)
        return self.out(torch.cat([output.squeeze(0), context], dim=1)), hidden


class OriginalVAE(nn.Module):
    def __init__(self, vocab_size: int, n_conditions: int):
        super().__init__()
        self.encoder = OriginalEncoder(vocab_size)
        self.decoder = OriginalDecoder(vocab_size, n_conditions)


def original_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """The original's KL, kept as it was: it treats `logvar` as log-sigma (the correct form is 1 + logvar - mu^2
    - exp(logvar)). Reproduced for a faithful loss, not used anywhere else."""
    return -0.5 * (2 * logvar - mu.pow(2) - torch.exp(logvar).pow(2) + 1)


def decode_teacher_forced(model: OriginalVAE, z: torch.Tensor, condition: torch.Tensor, targets: torch.Tensor,
                          teacher_forcing: float, rng: random.Random) -> torch.Tensor:
    """The original's training decode: a Python loop over tokens, word dropout and teacher forcing per token."""
    context, hidden = model.decoder.start(z, condition)
    token = torch.tensor([BOS_ID])
    outputs = []
    for i in range(targets.shape[0]):
        logits, hidden = model.decoder.step(token, context, hidden)
        outputs.append(logits)
        if rng.random() < WORD_DROPOUT and i < targets.shape[0] - 1:
            token = torch.tensor([UNK_ID])
        elif rng.random() < teacher_forcing:
            token = targets[i : i + 1]
        else:
            token = torch.multinomial(torch.softmax(logits.detach(), dim=-1), 1).squeeze(1)
    return torch.cat(outputs)  # (T, V)


def train_one(model: OriginalVAE, optimizer: torch.optim.Optimizer, ids: list[int], condition: torch.Tensor,
              kl_weight: float, rng: random.Random) -> float:
    """One optimiser step on one sentence (`ids` holds <bos> w1 .. wn <eos>), as the original's loop did."""
    targets = torch.tensor(ids[1:])  # (T,) w1 .. wn <eos>
    optimizer.zero_grad()
    mu, logvar, z = model.encoder(targets)
    logits = decode_teacher_forced(model, z, condition.unsqueeze(0), targets, teacher_forcing=1.0, rng=rng)
    kl = torch.clamp(original_kl(mu, logvar).mean(), min=HABITS_LAMBDA)
    loss = F.cross_entropy(logits, targets) + kl_weight * kl
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
    optimizer.step()
    return loss.item()


@torch.no_grad()
def generate_one(model: OriginalVAE, condition: torch.Tensor, max_tokens: int, temperature: float) -> list[int]:
    """One prior sample, decoded for exactly `max_tokens` steps as the original did (it never stopped at <eos>)."""
    context, hidden = model.decoder.start(torch.randn(1, LATENT), condition.unsqueeze(0))
    token, ids = torch.tensor([BOS_ID]), []
    for _ in range(max_tokens):
        logits, hidden = model.decoder.step(token, context, hidden)
        token = torch.multinomial(logits.view(-1).div(temperature).exp(), 1)
        ids.append(int(token))
    return ids


def forward_flops_per_token(vocab_size: int) -> float:
    """Multiply-adds x 2 of one token's forward pass: encoder GRUs, decoder GRU, output layer and softmax."""
    gru = 3 * 2  # three gates, a multiply and an add per weight
    context = LATENT + CONDITION
    encoder = 2 * gru * HIDDEN * (HIDDEN + HIDDEN) + 2 * gru * HIDDEN * (2 * HIDDEN + HIDDEN)  # 2 layers x 2 ways
    decoder = gru * HIDDEN * (HIDDEN + context + HIDDEN)
    output = 2 * (HIDDEN + context) * vocab_size + 5 * vocab_size  # logits, then softmax and cross-entropy
    return encoder + decoder + output
