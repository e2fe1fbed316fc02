"""What the ALS peers of `npm run bench -- als` share, so that every column reads the same files
and is scored the same way: the raw CSR arrays written by benchmarks/src/als-data.ts, precision@10
over the held-out users with their training items filtered out, and the JSON line."""
import json
import resource

import numpy as np
import scipy.sparse as sp


def load(base):
    meta = json.load(open(base + ".meta.json"))
    indptr = np.fromfile(base + ".indptr.i32", dtype=np.int32)
    indices = np.fromfile(base + ".indices.i32", dtype=np.int32)
    data = np.fromfile(base + ".data.f32", dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(meta["users"], meta["items"]))


def precision_at_10(users, items, train, test):
    """Mean over users with held-out items of |top-10 ∩ held-out| / min(10, |held-out|)."""
    evaluated = np.flatnonzero(np.diff(test.indptr))
    hits = 0.0
    for start in range(0, len(evaluated), 1000):
        us = evaluated[start : start + 1000]
        scores = users[us] @ items.T
        scores[train[us].nonzero()] = -np.inf
        top = np.argpartition(-scores, 10, axis=1)[:, :10]
        for k, u in enumerate(us):
            truth = set(test.indices[test.indptr[u] : test.indptr[u + 1]])
            hits += len(truth.intersection(top[k].tolist())) / min(10, len(truth))
    return hits / max(1, len(evaluated)), int(len(evaluated))


def print_figures(times, users, items, train, test, **more):
    p10, evaluated = precision_at_10(users, items, train, test)
    print(
        json.dumps(
            {
                "seconds_per_iteration": float(np.median(times)),
                "iteration_seconds": times,
                "precision_at_10": p10,
                "users_evaluated": evaluated,
                "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                **more,
            }
        )
    )
