"""Peer for `npm run bench -- face`: numpy brute-force k=5 search over the same vectors.
Usage: python3 face_search_peer.py <vectors.f32> <n> <queries.f32> <nq> <reps>. Prints one JSON line."""
import json
import sys
import time

import numpy as np

path, n, qpath, nq, reps = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
x = np.fromfile(path, dtype=np.float32).reshape(n, 128)
q = np.fromfile(qpath, dtype=np.float32).reshape(nq, 128)
# What face_recognition.face_distance does: the norm of the differences, then the k smallest.
def search(v):
    d = np.linalg.norm(x - v, axis=1)
    idx = np.argpartition(d, 5)[:5]
    return idx[np.argsort(d[idx])]
search(q[0])
times = []
first = None
for r in range(reps):
    for i in range(nq):
        t0 = time.perf_counter()
        res = search(q[i])
        times.append(time.perf_counter() - t0)
        if first is None:
            first = res.tolist()
times.sort()
print(json.dumps({"ms": times[len(times) // 2] * 1000, "numpy": np.__version__, "first": first}))
