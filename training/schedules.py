"""Schedules as pure functions of the global step, so a resumed run continues exactly where it stopped."""

from __future__ import annotations


def kl_weight(step: int, schedule: str, period: int, ramp: float = 0.5) -> float:
    """The KL term's weight at `step`.

    linear: 0 -> 1 over `period` steps, then 1 (Bowman et al. 2016).
    cyclical: each cycle of `period` steps ramps 0 -> 1 over its first `ramp` share, then holds 1
    (Fu et al. 2019), so the decoder repeatedly learns to use a z that carries information.
    constant: always 1.
    """
    if schedule == "constant":
        return 1.0
    if schedule == "linear":
        return min(1.0, step / period)
    if schedule == "cyclical":
        position = (step % period) / period
        return 1.0 if ramp == 0 else min(1.0, position / ramp)
    raise ValueError(f"unknown KL schedule {schedule!r}")
