"""scikit-learn side of `npm run bench -- algos`: one task per process (so ru_maxrss is the task's own
peak), on the raw float32 files written by benchmarks/src/algos-data.ts.
usage: algos_peer.py <task> <data-base> [outFile]; prints one JSON line."""
import json
import resource
import sys
import time

import numpy as np

task, base = sys.argv[1], sys.argv[2]
out = sys.argv[3] if len(sys.argv) > 3 else None
meta = json.load(open(base + ".meta.json"))
x = np.fromfile(base + ".x.f32", dtype=np.float32).reshape(meta["rows"], meta["cols"])
res = {}
if task in ("kmeans", "kmeans-elkan"):
    from sklearn.cluster import KMeans

    t = time.perf_counter()
    km = KMeans(n_clusters=10, n_init=1, random_state=0, algorithm="lloyd" if task == "kmeans" else "elkan").fit(x)
    res = {"seconds": time.perf_counter() - t, "inertia": float(km.inertia_), "n_iter": int(km.n_iter_)}
    labels = km.labels_.astype(np.int32)
elif task == "pca":
    from sklearn.decomposition import PCA

    t = time.perf_counter()
    pca = PCA(n_components=2, random_state=0).fit(x)
    pca.transform(x)
    res = {"seconds": time.perf_counter() - t, "explained_variance_ratio": pca.explained_variance_ratio_.tolist(), "solver": pca._fit_svd_solver}
    labels = None
elif task.startswith("dbscan"):
    from sklearn.cluster import DBSCAN

    t = time.perf_counter()
    db = DBSCAN(eps=0.3, min_samples=10).fit(x)
    labels = db.labels_.astype(np.int32)
    res = {"seconds": time.perf_counter() - t, "n_clusters": int(labels.max() + 1)}
elif task == "tsne":
    from sklearn.manifold import TSNE

    t = time.perf_counter()
    ts = TSNE(n_components=2, perplexity=30.0, n_iter=1000, init="pca", learning_rate="auto", random_state=0)
    y = ts.fit_transform(x)
    res = {"seconds": time.perf_counter() - t, "kl_divergence": float(ts.kl_divergence_)}
    labels = None
    if out:
        y.astype(np.float32).tofile(out)
else:
    raise SystemExit(f"unknown task {task}")
if out and labels is not None:
    labels.tofile(out)
import sklearn

res["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
res["sklearn"] = sklearn.__version__
print(json.dumps(res))
