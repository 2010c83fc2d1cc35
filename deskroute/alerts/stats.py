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


def hypergeometric_tail(k: int, n: int, hits: int, total: int) -> float:
    """P(X >= k) for the hits X among `n` draws from `total` of which `hits` are hits, without
    replacement: Fisher's exact test that a window's k of n is higher than the share of hits
    in window and baseline together (`total` and `hits` count both). Unlike a binomial test
    against the baseline's rate, it allows for a baseline that holds little."""
    low, high = max(0, n - (total - hits)), min(n, hits)
    if k <= low:
        return 1.0
    if k > high:
        return 0.0
    log_all = _log_choose(total, n)
    return min(
        1.0,
        sum(
            math.exp(_log_choose(hits, i) + _log_choose(total - hits, n - i) - log_all)
            for i in range(k, high + 1)
        ),
    )


def fisher_combined(p_values: list[float]) -> float:
    """Fisher's method: the chance, were every test's null true, of p-values whose product is
    this small. -2 sum(ln p) is chi-squared with 2k degrees of freedom, whose upper tail has a
    closed form for even degrees."""
    if not p_values:
        return 1.0
    half = -sum(math.log(max(p, 1e-300)) for p in p_values)  # the statistic over 2
    term, total = 1.0, 1.0
    for i in range(1, len(p_values)):
        term *= half / i
        total += term
    return min(1.0, math.exp(-half) * total)


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def _poisson_pmf(i: int, mu: float) -> float:
    return math.exp(i * math.log(mu) - mu - math.lgamma(i + 1))


def _binomial_pmf(i: int, n: int, p: float) -> float:
    return math.exp(_log_choose(n, i) + i * math.log(p) + (n - i) * math.log1p(-p))
