"""Random stress cases for the SDK's weight code, reproducible without storing the inputs.

Inputs come from splitmix64 and IEEE double `+ - * /` only, so TypeScript (see
`../support/stress-inputs.ts`) rebuilds exactly the same float32/float64 arrays. Every
choice below must stay in the same order as there.
"""

import base64
import hashlib

import numpy as np

M64 = (1 << 64) - 1
SEED = 0x5EED_CAFE_2026
NMW_CASES = 2000
PW_CASES = 2000
DISTS = ["uniform", "power4", "pareto", "pareto2", "spiky"]
ZERO_SHARES = [0.0, 0.0, 0.2, 0.5]
MIN_ALLOWED = [0, 1, 8, 16, 64]
QUANTILES = [0, 0, 6553, 32767, 65535]


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & M64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def uniform(self):
        """A double in [0, 1) from the top 53 bits."""
        return (self.next() >> 11) * (2.0**-53)

    def int(self, lo, hi):
        """An integer in [lo, hi] (modulo bias is irrelevant here)."""
        return lo + self.next() % (hi - lo + 1)

    def pick(self, items):
        return items[self.next() % len(items)]


def draw(rng, dist):
    u = rng.uniform()
    if dist == "uniform":
        return u
    if dist == "power4":
        return u * u * u * u
    if dist == "pareto":
        return 1.0 / (1.0 - u)
    if dist == "pareto2":
        p = 1.0 / (1.0 - u)
        return p * p
    # spiky: mostly small, one in twenty a thousand times larger
    return u * 1000.0 if rng.uniform() < 0.05 else u


def weights(rng, n):
    dist = rng.pick(DISTS)
    zeros = rng.pick(ZERO_SHARES)
    w = []
    for _ in range(n):
        v = draw(rng, dist)
        w.append(0.0 if rng.uniform() < zeros else v)
    return dist, zeros, w


def limit(rng):
    """Both kinds the SDK sees: an arbitrary float, or MaxWeightsLimit / 65535 from a u16."""
    if rng.uniform() < 0.5:
        return "float", 0.05 + 0.95 * rng.uniform()
    return "u16", rng.int(3277, 65535) / 65535


def digest(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()[:32]


def emit_digest(uids, values):
    """Hash of the emitted (uid, value) pairs, both as little-endian u16."""
    return digest(np.concatenate([np.asarray(uids, dtype="<u2"), np.asarray(values, dtype="<u2")]))


def b64u16(values):
    return base64.b64encode(np.asarray(values, dtype="<u2").tobytes()).decode()


def stress_vectors(mod):
    rng = SplitMix64(SEED)
    nmw = []
    for _ in range(NMW_CASES):
        n = rng.int(1, 256)
        dtype = "float32" if rng.uniform() < 0.75 else "float64"
        dist, zeros, w = weights(rng, n)
        kind, lim = limit(rng)
        x = np.array(w, dtype=np.float32 if dtype == "float32" else np.float64)
        y = mod.normalize_max_weight(x, limit=lim)
        eu, ev = mod.convert_weights_and_uids_for_emit(np.arange(n, dtype=np.int64), y)
        nmw.append(
            {
                "n": n,
                "dtype": dtype,
                "dist": dist,
                "limitKind": kind,
                "limit": lim,
                "yDtype": str(y.dtype),
                "yHash": digest(y),
                "emitHash": emit_digest(eu, ev),
            }
        )
    pw = []
    for _ in range(PW_CASES):
        n = rng.int(1, 256)
        dist, zeros, w = weights(rng, n)
        kind, lim = limit(rng)
        min_allowed = rng.pick(MIN_ALLOWED)
        q = rng.pick(QUANTILES)
        pu, pv = mod.process_weights(
            uids=np.arange(n, dtype=np.int64),
            weights=np.array(w, dtype=np.float32),
            num_neurons=n,
            min_allowed_weights=min_allowed,
            max_weight_limit=lim,
            exclude_quantile=q,
        )
        eu, ev = mod.convert_weights_and_uids_for_emit(np.asarray(pu), np.asarray(pv))
        pw.append(
            {
                "n": n,
                "dist": dist,
                "limitKind": kind,
                "limit": lim,
                "minAllowedWeights": min_allowed,
                "excludeQuantile": q,
                "outDtype": str(np.asarray(pv).dtype),
                "outHash": digest(np.asarray(pv)),
                "emitHash": emit_digest(eu, ev),
                "emitVals": b64u16(ev),
            }
        )
    return {
        "source": "opentensor/bittensor bittensor/utils/weight_utils.py",
        "numpy": np.__version__,
        "seed": SEED,
        "normalizeMaxWeight": nmw,
        "processWeights": pw,
    }
