"""Peer side of `npm run bench -- mlp`: the same MLP in PyTorch on the CPU (Debian python3-torch),
2 threads. Reads the split the TypeScript side wrote (float32 files + meta.json), standardises
inputs and target with the training rows' mean and std, trains Linear(d, 64)-ReLU-Linear(64, 32)-
ReLU-Linear(32, 1) with Adam (lr 1e-3, eps 1e-7 as Keras / tfjs), MSE, batch 64, shuffled each
epoch, for the given epochs, and prints one JSON line: median ms per epoch and the test RMSE."""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

folder = sys.argv[1]
meta = json.load(open(os.path.join(folder, "meta.json")))
torch.set_num_threads(2)
torch.manual_seed(0)


def load(name, rows, cols):
    return np.fromfile(os.path.join(folder, name), dtype="<f4").reshape(rows, cols)


d = meta["cols"]
xtr = load("x_train.f32", meta["train"], d)
ytr = load("y_train.f32", meta["train"], 1)
xte = load("x_test.f32", meta["test"], d)
yte = load("y_test.f32", meta["test"], 1)
mx, sx = xtr.mean(0), xtr.std(0)
sx[sx < 1e-6] = 1
my, sy = ytr.mean(), ytr.std()
xtr_t = torch.from_numpy((xtr - mx) / sx)
ytr_t = torch.from_numpy((ytr - my) / sy)
xte_t = torch.from_numpy((xte - mx) / sx)

model = nn.Sequential(nn.Linear(d, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
loss_fn = nn.MSELoss()
batch = meta["batchSize"]
times = []
for epoch in range(meta["epochs"]):
    t0 = time.perf_counter()
    perm = torch.randperm(xtr_t.shape[0])
    for s in range(0, xtr_t.shape[0], batch):
        idx = perm[s : s + batch]
        opt.zero_grad()
        loss = loss_fn(model(xtr_t[idx]), ytr_t[idx])
        loss.backward()
        opt.step()
    times.append((time.perf_counter() - t0) * 1000)
with torch.no_grad():
    pred = model(xte_t).numpy() * sy + my
rmse = float(np.sqrt(np.mean((pred - yte) ** 2)))
print(json.dumps({"ms_per_epoch": float(np.median(times)), "test_rmse": rmse, "torch": torch.__version__, "threads": torch.get_num_threads()}))
