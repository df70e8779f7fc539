"""Coreference scores: MUC, B-cubed, CEAF-e and their average, the CoNLL F1.

Clusterings are lists of sets of mention ids, key (gold) and response (system) over the same
mentions. The definitions follow the CoNLL-2012 reference scorer (Pradhan et al. 2014): MUC
counts links (Vilain et al. 1995), B-cubed averages per mention (Bagga & Baldwin 1998), CEAF-e
aligns clusters one-to-one with the entity similarity phi4 (Luo 2005), solved as an assignment
problem with scipy.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

Cluster = set[Hashable]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _muc_recall(key: Sequence[Cluster], response: Sequence[Cluster]) -> float:
    where = {m: i for i, cluster in enumerate(response) for m in cluster}
    numerator = denominator = 0
    for cluster in key:
        parts = {where.get(m, ("alone", m)) for m in cluster}
        numerator += len(cluster) - len(parts)
        denominator += len(cluster) - 1
    return numerator / denominator if denominator else 0.0


def muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float, float]:
    r, p = _muc_recall(key, response), _muc_recall(response, key)
    return p, r, _f1(p, r)


def _b3_recall(key: Sequence[Cluster], response: Sequence[Cluster]) -> float:
    where = {m: cluster for cluster in response for m in cluster}
    total = sum(len(c) for c in key)
    score = sum(
        len(cluster & where.get(m, set())) / len(cluster) for cluster in key for m in cluster
    )
    return score / total if total else 0.0


def b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float, float]:
    r, p = _b3_recall(key, response), _b3_recall(response, key)
    return p, r, _f1(p, r)


def ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float, float]:
    """CEAF with phi4(K, R) = 2|K & R| / (|K| + |R|), best one-to-one alignment."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    if not key or not response:
        return 0.0, 0.0, 0.0
    sim = np.zeros((len(key), len(response)))
    where = {m: j for j, cluster in enumerate(response) for m in cluster}
    for i, cluster in enumerate(key):
        for m in cluster:
            j = where.get(m)
            if j is not None:
                sim[i, j] += 1
    sizes_k = np.array([len(c) for c in key])[:, None]
    sizes_r = np.array([len(c) for c in response])[None, :]
    phi = 2 * sim / (sizes_k + sizes_r)
    rows, cols = linear_sum_assignment(-phi)
    best = float(phi[rows, cols].sum())
    p, r = best / len(response), best / len(key)
    return p, r, _f1(p, r)


def conll_f1(key: Sequence[Cluster], response: Sequence[Cluster]) -> dict[str, float]:
    """F1 of MUC, B-cubed and CEAF-e, and their average (the CoNLL F1), as fractions."""
    scores = {
        "muc": muc(key, response)[2],
        "b3": b_cubed(key, response)[2],
        "ceafe": ceaf_e(key, response)[2],
    }
    scores["conll"] = sum(scores.values()) / 3
    return scores
