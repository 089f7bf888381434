"""A seeded SYNTHETIC zone–mechanism graph for benchmarks. Not real data: no zone, mechanism or
link here describes any real place or practice, and nothing here is written to data/.

Each synthetic zone adopts 1 + Poisson(mean_links - 1) mechanisms, drawn with a popularity that
falls off as a power of the mechanism's rank (a few mechanisms are adopted widely, most by one or
two zones, as with named governance practices); a mechanism drawn twice for a zone counts once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

__all__ = ["SyntheticGraph", "synthetic_graph"]

LABEL = "SYNTHETIC: seeded random zone–mechanism links for benchmarking, not real data"


@dataclass(frozen=True)
class SyntheticGraph:
    """Links as parallel arrays: zone[i] adopts mechanism[i] (each pair once)."""

    n_zones: int
    n_mechanisms: int
    zone: np.ndarray
    mechanism: np.ndarray
    seed: int
    label: str = LABEL

    @property
    def links(self) -> int:
        return len(self.zone)

    def matrix(self) -> sparse.csr_matrix:
        """Zones by mechanisms, 1 where a zone adopts a mechanism."""
        data = np.ones(self.links, dtype=np.float64)
        return sparse.csr_matrix((data, (self.zone, self.mechanism)), shape=(self.n_zones, self.n_mechanisms))

    def co_adopting_pairs(self) -> int:
        """Ordered pairs of distinct zones sharing at least one mechanism: the output size any
        exact all-pairs method must at least touch."""
        m = self.matrix()
        pairs = 0
        for start in range(0, self.n_zones, 2048):  # in blocks of rows, to bound memory
            shared = (m[start : start + 2048] @ m.T).tocsr()
            pairs += shared.nnz - np.count_nonzero(shared.diagonal(k=start))
        return int(pairs)


def synthetic_graph(
    n_zones: int, n_mechanisms: int, mean_links: float = 5.0, *, exponent: float = 0.8, seed: int = 2018
) -> SyntheticGraph:
    """A seeded synthetic graph: the same arguments give the same links."""
    if n_zones < 1 or n_mechanisms < 1 or mean_links < 1:
        raise ValueError("need at least one zone, one mechanism and a mean of one link per zone")
    rng = np.random.default_rng(seed)
    per_zone = 1 + rng.poisson(mean_links - 1.0, size=n_zones)
    popularity = 1.0 / np.arange(1, n_mechanisms + 1) ** exponent
    popularity /= popularity.sum()
    # Ranks are shuffled so a mechanism's id says nothing about its popularity.
    mechanisms = rng.permutation(n_mechanisms)[rng.choice(n_mechanisms, size=int(per_zone.sum()), p=popularity)]
    zones = np.repeat(np.arange(n_zones), per_zone)
    pairs = np.unique(zones.astype(np.int64) * n_mechanisms + mechanisms)
    return SyntheticGraph(n_zones, n_mechanisms, pairs // n_mechanisms, pairs % n_mechanisms, seed)
