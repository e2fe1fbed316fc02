"""numpy/scipy reference of the same conjugate-gradient implicit ALS as @aiffel/sparse-als, for
`npm run bench -- als`: confidence c = 1 + alpha r, G = Y^T Y + reg I, CG from the previous
factors for cg_steps steps, vectorised over blocks of rows (scipy sparse products for the
per-interaction terms, OpenBLAS for the dense ones).
usage: als_peer.py <train-base> <test-base> <factors> <iterations> <reg> <alpha> <cg_steps>
prints one JSON line: seconds per iteration, precision@10 on the held-out users, peak memory."""
import sys
import time

import numpy as np
import scipy.sparse as sp

from als_common import load, print_figures


def half_step(cui, other, factors, reg, alpha, steps, block=20000):
    f = other.shape[1]
    gram = other.T @ other + reg * np.eye(f, dtype=np.float32)
    for start in range(0, cui.shape[0], block):
        sub = cui[start : start + block]
        if sub.nnz == 0:
            continue
        rowid = np.repeat(np.arange(sub.shape[0]), np.diff(sub.indptr))
        yi = other[sub.indices]
        cm1 = alpha * sub.data
        x = factors[start : start + block].copy()
        w = (1 + cm1) - cm1 * np.einsum("ij,ij->i", yi, x[rowid])
        r = sp.csr_matrix((w, sub.indices, sub.indptr), shape=sub.shape) @ other - x @ gram
        p = r.copy()
        rsold = np.einsum("ij,ij->i", r, r)
        for _ in range(steps):
            wp = cm1 * np.einsum("ij,ij->i", yi, p[rowid])
            ap = p @ gram + sp.csr_matrix((wp, sub.indices, sub.indptr), shape=sub.shape) @ other
            denom = np.einsum("ij,ij->i", p, ap)
            a = np.where(rsold > 1e-20, rsold / np.where(denom == 0, 1, denom), 0).astype(np.float32)
            x += a[:, None] * p
            r -= a[:, None] * ap
            rsnew = np.einsum("ij,ij->i", r, r)
            beta = np.where(rsold > 1e-20, rsnew / np.where(rsold == 0, 1, rsold), 0).astype(np.float32)
            p = r + beta[:, None] * p
            rsold = rsnew
        factors[start : start + block] = x


def main():
    train, test = load(sys.argv[1]), load(sys.argv[2])
    f, iterations = int(sys.argv[3]), int(sys.argv[4])
    reg, alpha, steps = float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
    rng = np.random.default_rng(0)
    users = ((rng.random((train.shape[0], f)) - 0.5) * 0.01).astype(np.float32)
    items = ((rng.random((train.shape[1], f)) - 0.5) * 0.01).astype(np.float32)
    item_users = train.T.tocsr()
    times = []
    for _ in range(iterations):
        t = time.perf_counter()
        half_step(train, items, users, reg, alpha, steps)
        half_step(item_users, users, items, reg, alpha, steps)
        times.append(time.perf_counter() - t)
    print_figures(times, users, items, train, test, numpy=np.__version__)


main()
