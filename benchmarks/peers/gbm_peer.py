"""XGBoost (tree_method=hist) and scikit-learn HistGradientBoosting on the data of
`npm run bench -- gbm`, with the same settings as ours: trees, learning rate 0.1, 63 leaves
(XGBoost: grow_policy=lossguide, max_leaves), 255 bins, 2 threads; categorical features native.
usage: gbm_peer.py <base> <xgboost|sklearn> <trees> <leaves> <threads>
prints one JSON line: train and predict seconds, test AUC or RMSE, peak memory."""
import json
import os
import resource
import sys
import time

base, lib, trees, leaves, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
os.environ["OMP_NUM_THREADS"] = str(threads)
import numpy as np  # noqa: E402

meta = json.load(open(base + ".meta.json"))
cols = meta["cols"]


def part(name):
    x = np.fromfile(f"{base}.{name}.x.f32", dtype=np.float32).reshape(-1, cols)
    y = np.fromfile(f"{base}.{name}.y.f64", dtype=np.float64)
    return x, y


xtr, ytr = part("train")
xte, yte = part("test")
cat = meta["categorical"]
binary = meta["task"] == "binary"
out = {}
if lib == "xgboost":
    import xgboost as xgb

    types = ["c" if j in cat else "q" for j in range(cols)]
    t0 = time.perf_counter()
    dtr = xgb.DMatrix(xtr, label=ytr, feature_types=types, enable_categorical=bool(cat), nthread=threads)
    params = {
        "tree_method": "hist",
        "grow_policy": "lossguide",
        "max_leaves": leaves,
        "max_depth": 0,
        "max_bin": 255,
        "eta": 0.1,
        "nthread": threads,
        "objective": "binary:logistic" if binary else "reg:squarederror",
    }
    booster = xgb.train(params, dtr, num_boost_round=trees)
    out["train_seconds"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    pred = booster.predict(xgb.DMatrix(xte, feature_types=types, enable_categorical=bool(cat), nthread=threads))
    out["predict_seconds"] = time.perf_counter() - t1

    def one(i):
        return booster.inplace_predict(xte[i : i + 1])

else:
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    Model = HistGradientBoostingClassifier if binary else HistGradientBoostingRegressor
    mask = [j in cat for j in range(cols)] if cat else None
    model = Model(max_iter=trees, learning_rate=0.1, max_leaf_nodes=leaves, max_bins=255, early_stopping=False, categorical_features=mask)
    t0 = time.perf_counter()
    model.fit(xtr, ytr)
    out["train_seconds"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    pred = model.predict_proba(xte)[:, 1] if binary else model.predict(xte)
    out["predict_seconds"] = time.perf_counter() - t1

    def one(i):
        return model.predict_proba(xte[i : i + 1]) if binary else model.predict(xte[i : i + 1])

# Serving latency: the median of 1,000 one-row predictions (test rows in turn), in microseconds.
times = []
for i in range(1000):
    t = time.perf_counter()
    one(i)
    times.append((time.perf_counter() - t) * 1e6)
out["predict_one_row_us"] = sorted(times)[500]
if binary:
    from sklearn.metrics import roc_auc_score

    out["auc"] = float(roc_auc_score(yte, pred))
else:
    out["rmse"] = float(np.sqrt(np.mean((yte - pred) ** 2)))
out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
