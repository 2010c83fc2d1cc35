"""Upper tail probabilities of counts, in pure Python (the keeper need not load SciPy): how
likely a window this busy is, were the baseline true."""

from __future__ import annotations

import math

_NEGLIGIBLE = 1e-17
"""A term this small beside the sum so far changes nothing in a double."""


def poisson_tail(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu)."""
    if k <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    if k <= mu:  # the head is the shorter sum
        return max(0.0, 1.0 - sum(_poisson_pmf(i, mu) for i in range(k)))
    total, i = 0.0, k
    while True:
        term = _poisson_pmf(i, mu)
        total += term
        if term <= total * _NEGLIGIBLE:
            return min(1.0, total)
        i += 1


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    if k <= n * p:
        return max(0.0, 1.0 - sum(_binomial_pmf(i, n, p) for i in range(k)))
    total = 0.0
    for i in range(k, n + 1):
        term = _binomial_pmf(i, n, p)
        total += term
        if term <= total * _NEGLIGIBLE:
            break
    return min(1.0, total)


def _poisson_pmf(i: int, mu: float) -> float:
    return math.exp(i * math.log(mu) - mu - math.lgamma(i + 1))


def _binomial_pmf(i: int, n: int, p: float) -> float:
    log_choose = math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
    return math.exp(log_choose + i * math.log(p) + (n - i) * math.log1p(-p))
