"""Generate u16/float reference vectors from the *real* Python SDK weight_utils module.

Usage (needs numpy; no bittensor install needed):

    git clone https://github.com/opentensor/bittensor   # or any checkout
    python3 gen-python-weight-vectors.py path/to/bittensor/bittensor/utils/weight_utils.py \
        > python-weight-utils.json
    python3 gen-python-weight-vectors.py path/to/bittensor/bittensor/utils/weight_utils.py \
        --stress > python-weight-stress.json

`--stress` writes thousands of random cases (n up to 256, heavy-tailed weights, limits of
both kinds) whose inputs are not stored: they come from a splitmix64 stream and IEEE double
operations only (no libm), which `test/support/stress-inputs.ts` replays bit for bit. Only
the SDK's outputs are stored, as hashes and base64 u16 arrays, to keep the file small.

The SDK module is executed as-is after its unrelated imports (wallet, scalecodec, logging,
torch switch) are replaced by stubs, so the outputs are what `bittensor` itself returns.
The JSON is committed next to this script; `test/weights.python-vectors.test.ts` replays it.
"""

import json
import re
import sys
import types

import numpy as np

src_path = sys.argv[1]
stress = "--stress" in sys.argv[2:]
src = open(src_path, encoding="utf-8").read()

# Drop imports that pull in the rest of the SDK; provide tiny stubs instead.
src = re.sub(r"^from bittensor_wallet import .*$", "", src, flags=re.M)
src = re.sub(r"^from scalecodec import .*$", "", src, flags=re.M)
src = re.sub(r"^from bittensor\..*$", "", src, flags=re.M)


class _Log:
    def __getattr__(self, _name):
        return lambda *a, **k: None


def _compat(fn):
    return fn


mod = types.ModuleType("weight_utils")
mod.__dict__.update(
    {
        "logging": _Log(),
        "legacy_torch_api_compat": _compat,
        "torch": None,
        "use_torch": lambda: False,
        "MaybeSplit": list,
    }
)
exec(compile(src, src_path, "exec"), mod.__dict__)

out = {
    "source": "opentensor/bittensor bittensor/utils/weight_utils.py",
    "numpy": np.__version__,
    "emit": [],
    "normalizeMaxWeight": [],
    "processWeights": [],
    "toFloat": [],
}


def f32list(a):
    return [float(x) for x in np.asarray(a, dtype=np.float32)]


def f64list(a):
    return [float(x) for x in np.asarray(a, dtype=np.float64)]


# ---- convert_weights_and_uids_for_emit --------------------------------------------------------
emit_cases = [
    ("ties-half-even", [0, 1, 2, 3, 4], [131070.0, 1.0, 3.0, 5.0, 7.0], "float64"),
    ("two-to-one", [0, 1], [2.0, 1.0], "float64"),
    ("quarters", [3, 1, 2, 0], [4.0, 1.0, 2.0, 3.0], "float64"),
    ("thirds", [0, 1, 2], [1.0, 2.0, 3.0], "float64"),
    ("single", [7], [0.1], "float32"),
    ("sdk-e2e-0.1", [0], [0.1], "float32"),
    ("with-zeros", [0, 1, 2, 3], [0.0, 0.25, 0.0, 0.75], "float32"),
    ("tiny-dropped", [0, 1, 2], [1.0, 1e-6, 7.0e-6], "float64"),
    ("all-zero", [0, 1, 2], [0.0, 0.0, 0.0], "float32"),
]
rng = np.random.default_rng(20240601)
for k in range(12):
    n = int(rng.integers(1, 300))
    dtype = "float32" if k % 2 == 0 else "float64"
    w = rng.random(n) ** (1 + k % 4)
    if k % 3 == 0:
        w[rng.random(n) < 0.3] = 0.0
    emit_cases.append((f"random-{k}", list(range(n)), list(w), dtype))

for name, uids, weights, dtype in emit_cases:
    w = np.array(weights, dtype=np.float32 if dtype == "float32" else np.float64)
    u = np.array(uids, dtype=np.int64)
    ru, rv = mod.convert_weights_and_uids_for_emit(u, w)
    out["emit"].append(
        {
            "name": name,
            "dtype": dtype,
            "uids": uids,
            "weights": f32list(w) if dtype == "float32" else f64list(w),
            "outUids": [int(x) for x in ru],
            "outVals": [int(x) for x in rv],
        }
    )

# ---- normalize_max_weight -------------------------------------------------------------------
nmw_cases = [
    ("uniform-limit", [1.0, 1.0, 1.0, 1.0], 0.3, "float32"),
    ("one-big", [10.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 0.15, "float32"),
    ("zeros", [0.0] * 20, 0.01, "float32"),
    ("n-times-limit-le-1", [5.0, 1.0, 2.0], 0.3, "float32"),
    ("under-limit", [1.0, 2.0, 3.0, 4.0], 0.5, "float64"),
]
for k in range(14):
    n = int(rng.integers(12, 400))
    w = rng.random(n) ** (1 + (k % 5))
    limit = float([0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 1.0][k % 7])
    nmw_cases.append((f"random-{k}", list(w), limit, "float32" if k % 3 else "float64"))
for name, x, limit, dtype in nmw_cases:
    a = np.array(x, dtype=np.float32 if dtype == "float32" else np.float64)
    y = mod.normalize_max_weight(a, limit=limit)
    out["normalizeMaxWeight"].append(
        {
            "name": name,
            "dtype": dtype,
            "limit": limit,
            "x": f32list(a) if dtype == "float32" else f64list(a),
            "y": f32list(y) if y.dtype == np.float32 else f64list(y),
            "yDtype": str(y.dtype),
        }
    )

# ---- process_weights + emit (the validator's whole path) -------------------------------------
pw_cases = [
    ("sdk-test-all-zero", [1, 2, 3, 4, 5], [0.0] * 5, 1, 0.1, 1.0, 0),
    ("below-min-allowed", [0, 1, 2, 3, 4], [0.1, 0.2, 0.3, 0.0, 0.0], 5, 4, 1.0, 0),
    ("below-min-allowed-limited", [0, 1, 2, 3, 4, 5, 6, 7], [0.9, 0.2, 0.0, 0, 0, 0, 0, 0], 8, 4, 0.2, 0),
    ("n-lt-min-allowed", [0, 1, 2], [0.5, 0.2, 0.3], 3, 8, 1.0, 0),
    ("quantile-zero", [0, 1, 2, 3, 4], [1.0, 2.5, 3.3, 4.7, 5.9], 5, 1, 1.0, 0),
    ("quantile-half", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0.1 * (i + 1) for i in range(10)], 10, 2, 1.0, 32767),
    ("quantile-capped-by-min", [0, 1, 2, 3, 4, 5], [6, 5, 4, 3, 2, 1.0], 6, 4, 1.0, 60000),
    ("max-limit", list(range(16)), [2.0 ** i for i in range(16)], 16, 1, 0.1, 0),
]
for k in range(10):
    n = int(rng.integers(20, 1000 if k < 2 else 200))
    w = (rng.random(n) ** 3).astype(np.float32)
    w[rng.random(n) < 0.2] = 0.0
    min_allowed = int([1, 8, 16, 64, 300][k % 5])
    limit = float([1.0, 0.05, 0.1, 0.02, 0.5][k % 5])
    q = int([0, 6553, 13107, 32767, 65535][(k * 3) % 5])
    pw_cases.append((f"random-{k}", list(range(n)), list(w), n, min_allowed, limit, q))

for name, uids, weights, n, min_allowed, limit, q in pw_cases:
    u = np.array(uids, dtype=np.int64)
    w = np.array(weights, dtype=np.float32)
    pu, pw = mod.process_weights(
        uids=u, weights=w, num_neurons=n, min_allowed_weights=min_allowed,
        max_weight_limit=limit, exclude_quantile=q,
    )
    eu, ev = mod.convert_weights_and_uids_for_emit(np.asarray(pu), np.asarray(pw))
    out["processWeights"].append(
        {
            "name": name,
            "uids": uids,
            "weights": f32list(w),
            "numNeurons": n,
            "minAllowedWeights": min_allowed,
            "maxWeightLimit": limit,
            "excludeQuantile": q,
            "outUids": [int(x) for x in pu],
            "outWeights": [float(x) for x in pw],
            "outDtype": str(np.asarray(pw).dtype),
            "emitUids": [int(x) for x in eu],
            "emitVals": [int(x) for x in ev],
        }
    )

# ---- convert_weight_uids_and_vals_to_tensor (chain u16 -> float row) -----------------------
for name, n, uids, vals in [
    ("sdk-happy-1", 3, [0, 1, 2], [15, 5, 80]),
    ("sdk-happy-2", 4, [1, 3], [50, 50]),
    ("sdk-edge-empty", 5, [], []),
    ("sdk-edge-single", 1, [0], [100]),
    ("sdk-edge-zeros", 4, [0, 1, 2, 3], [0, 0, 0, 0]),
    ("max-upscaled", 6, [0, 2, 5], [65535, 32768, 1]),
]:
    r = mod.convert_weight_uids_and_vals_to_tensor(n, uids, vals)
    out["toFloat"].append({"name": name, "n": n, "uids": uids, "vals": vals, "row": f32list(r)})

if stress:
    from stress_cases import stress_vectors

    json.dump(stress_vectors(mod), sys.stdout, separators=(",", ":"))
else:
    json.dump(out, sys.stdout, separators=(",", ":"))
