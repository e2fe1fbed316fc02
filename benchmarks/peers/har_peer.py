"""The UCI HAR features with numpy / scipy, the same definitions as @aiffel/algos' signal module,
vectorised over windows as a numpy user would write them; then scikit-learn's RandomForest and
HistGradientBoosting on the features the JavaScript side computed (the same matrix for both).

Usage: har_peer.py DIR   (DIR holds meta.json, rec_<k>.f64 recordings and windows_<k>.i32 starts,
features.f64 + labels.i32 + split.i32 from the JavaScript side). Prints one JSON line.
"""
import json
import os
import sys
import time

import numpy as np
from scipy import signal, stats

d = sys.argv[1]
meta = json.load(open(os.path.join(d, "meta.json")))
FS = 50.0
N = 128
BINS = N // 2
BANDS = [(1, 8), (9, 16), (17, 24), (25, 32), (33, 40), (41, 48), (49, 56), (57, 64), (1, 16), (17, 32), (33, 48), (49, 64), (1, 24), (25, 48)]
noise = signal.butter(3, 20, fs=FS)
grav = signal.butter(3, 0.3, fs=FS)


def prep(raw):
    acc, gyro = raw[:3], raw[3:]
    clean = lambda x: signal.filtfilt(*noise, signal.medfilt(x, 3))
    total = np.stack([clean(a) for a in acc])
    gravity = np.stack([signal.filtfilt(*grav, a) for a in total])
    body = total - gravity
    g = np.stack([clean(a) for a in gyro])
    jerk = lambda x: np.concatenate([(x[:, 1:2] - x[:, 0:1]), np.diff(x, axis=1)], axis=1) * FS
    s = {"bodyAcc": body, "gravityAcc": gravity, "bodyAccJerk": jerk(body), "bodyGyro": g, "bodyGyroJerk": jerk(g)}
    for k in list(s):
        s[k + "Mag"] = np.sqrt((s[k] ** 2).sum(axis=0))
    return s


def win(x, starts):
    idx = starts[:, None] + np.arange(N)[None, :]
    return x[idx]


def mad(w):
    med = np.median(w, axis=1, keepdims=True)
    return np.median(np.abs(w - med), axis=1)


def entropy(w):
    lo = w.min(axis=1, keepdims=True)
    hi = w.max(axis=1, keepdims=True)
    span = np.where(hi > lo, hi - lo, 1.0)
    b = np.minimum(9, np.floor((w - lo) * (10 / span))).astype(int)
    counts = np.stack([(b == k).sum(axis=1) for k in range(10)], axis=1) / w.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.where(counts > 0, counts * np.log2(counts), 0).sum(axis=1)
    return np.where(hi[:, 0] > lo[:, 0], h, 0.0)


def burg(w, order=4):
    f = w.copy()
    b = w.copy()
    a = np.zeros((w.shape[0], order + 1))
    a[:, 0] = 1
    n = w.shape[1]
    for m in range(1, order + 1):
        ft = f[:, m:]
        bt = b[:, m - 1 : n - 1]
        num = (ft * bt).sum(axis=1)
        den = (ft * ft + bt * bt).sum(axis=1)
        k = np.where(den > 0, -2 * num / np.where(den > 0, den, 1), 0)
        prev = a.copy()
        for i in range(1, m + 1):
            a[:, i] = prev[:, i] + k * prev[:, m - i]
        nf = ft + k[:, None] * bt
        nb = bt + k[:, None] * ft
        f[:, m:] = nf
        b[:, m:] = nb
    return a[:, 1:]


def summary(w):
    q1, q3 = np.percentile(w, [25, 75], axis=1)
    return {
        "mean": w.mean(axis=1), "std": w.std(axis=1, ddof=1), "mad": mad(w), "max": w.max(axis=1), "min": w.min(axis=1),
        "energy": (w ** 2).mean(axis=1), "iqr": q3 - q1, "entropy": entropy(w), "abs": np.abs(w).mean(axis=1),
    }


def corr(a, b):
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    den = np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))
    return np.where(den > 0, (a * b).sum(axis=1) / np.where(den > 0, den, 1), 0)


def spectral(m):
    k = np.arange(m.shape[1])
    tot = m.sum(axis=1)
    return {
        "maxInds": m.argmax(axis=1).astype(float),
        "meanFreq": np.where(tot > 0, (m * k * FS / N).sum(axis=1) / np.where(tot > 0, tot, 1), 0),
        "skew": stats.skew(m, axis=1), "kurt": stats.kurtosis(m, axis=1),
    }


def angle(a, b):
    na = np.linalg.norm(a, axis=1)
    nb = np.linalg.norm(b, axis=1)
    c = (a * b).sum(axis=1) / np.where((na > 0) & (nb > 0), na * nb, 1)
    return np.where((na > 0) & (nb > 0), np.arccos(np.clip(c, -1, 1)), 0)


def features(s, starts):
    cols = []
    means = {}
    for key in ["bodyAcc", "gravityAcc", "bodyAccJerk", "bodyGyro", "bodyGyroJerk"]:
        w = [win(s[key][a], starts) for a in range(3)]
        sm = [summary(x) for x in w]
        for f in ["mean", "std", "mad", "max", "min"]:
            cols += [q[f] for q in sm]
        cols.append(sum(q["abs"] for q in sm))
        for f in ["energy", "iqr", "entropy"]:
            cols += [q[f] for q in sm]
        for x in w:
            cols += list(burg(x).T)
        cols += [corr(w[0], w[1]), corr(w[0], w[2]), corr(w[1], w[2])]
        means[key] = np.stack([q["mean"] for q in sm], axis=1)
    for key in ["bodyAccMag", "gravityAccMag", "bodyAccJerkMag", "bodyGyroMag", "bodyGyroJerkMag"]:
        w = win(s[key], starts)
        q = summary(w)
        cols += [q["mean"], q["std"], q["mad"], q["max"], q["min"], q["abs"], q["energy"], q["iqr"], q["entropy"]]
        cols += list(burg(w).T)
    for key in ["bodyAcc", "bodyAccJerk", "bodyGyro"]:
        mags = [np.abs(np.fft.rfft(win(s[key][a], starts), axis=1))[:, :BINS] for a in range(3)]
        sm = [summary(m) for m in mags]
        for f in ["mean", "std", "mad", "max", "min"]:
            cols += [q[f] for q in sm]
        cols.append(sum(q["abs"] for q in sm))
        for f in ["energy", "iqr", "entropy"]:
            cols += [q[f] for q in sm]
        sp = [spectral(m) for m in mags]
        cols += [q["maxInds"] for q in sp]
        cols += [q["meanFreq"] for q in sp]
        for q in sp:
            cols += [q["skew"], q["kurt"]]
        for m in mags:
            for lo, hi in BANDS:
                a = (lo - 1) * BINS // 64
                b = max(a + 1, hi * BINS // 64)
                cols.append((m[:, a:b] ** 2).sum(axis=1) / BINS)
    for key in ["bodyAccMag", "bodyAccJerkMag", "bodyGyroMag", "bodyGyroJerkMag"]:
        m = np.abs(np.fft.rfft(win(s[key], starts), axis=1))[:, :BINS]
        q = summary(m)
        sp = spectral(m)
        cols += [q["mean"], q["std"], q["mad"], q["max"], q["min"], q["abs"], q["energy"], q["iqr"], q["entropy"], sp["maxInds"], sp["meanFreq"], sp["skew"], sp["kurt"]]
    g = means["gravityAcc"]
    for key in ["bodyAcc", "bodyAccJerk", "bodyGyro", "bodyGyroJerk"]:
        cols.append(angle(means[key], g))
    for e in np.eye(3):
        cols.append(angle(np.tile(e, (len(starts), 1)), g))
    return np.stack(cols, axis=1)


recs = []
for k in range(meta["recordings"]):
    n = meta["lengths"][k]
    raw = np.fromfile(os.path.join(d, f"rec_{k}.f64"), dtype=np.float64).reshape(6, n)
    starts = np.fromfile(os.path.join(d, f"windows_{k}.i32"), dtype=np.int32).astype(np.int64)
    recs.append((raw, starts))
t0 = time.perf_counter()
parts = [features(prep(raw), starts) for raw, starts in recs if len(starts) > 0]
feat_s = time.perf_counter() - t0
mine = np.concatenate(parts)
theirs = np.fromfile(os.path.join(d, "features.f64"), dtype=np.float64).reshape(-1, 561)
span = np.maximum(theirs.max(axis=0) - theirs.min(axis=0), 1e-12)
diff = np.abs(mine - theirs).max(axis=0) / span
agree = int((diff < 1e-6).sum())
worst = int(diff.argmax())

from sklearn import __version__ as skv
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier

y = np.fromfile(os.path.join(d, "labels.i32"), dtype=np.int32)
test = np.fromfile(os.path.join(d, "split.i32"), dtype=np.int32).astype(bool)
X = theirs
lo, hi = X[~test].min(axis=0), X[~test].max(axis=0)
Xs = np.clip(2 * (X - lo) / np.where(hi > lo, hi - lo, 1) - 1, -1, 1)
Xs[:, hi <= lo] = 0
out = {"windows": int(len(mine)), "feature_seconds": feat_s, "columns_agreeing": agree, "worst_column": worst, "worst_relative_diff": float(diff[worst]), "sklearn": skv, "numpy": np.__version__}
t = time.perf_counter()
rf = RandomForestClassifier(n_estimators=meta["trees"], n_jobs=2, random_state=0).fit(Xs[~test], y[~test])
out["rf_seconds"] = time.perf_counter() - t
out["rf_accuracy"] = float((rf.predict(Xs[test]) == y[test]).mean())
t = time.perf_counter()
hgb = HistGradientBoostingClassifier(max_iter=meta["trees"], learning_rate=0.1, max_leaf_nodes=15, early_stopping=False, random_state=0).fit(Xs[~test], y[~test])
out["hgb_seconds"] = time.perf_counter() - t
out["hgb_accuracy"] = float((hgb.predict(Xs[test]) == y[test]).mean())
print(json.dumps(out))
