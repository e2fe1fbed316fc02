"""Peer side of the runtime benchmark: 1024x1024 matmul (numpy and torch) and a 3x3 conv
forward+backward (torch), as GFLOPS. Prints one JSON line."""
import json
import sys
import time

import numpy as np

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
n, c, hw, batch = 1024, 128, 56, 8


def best_median(fn, reps):
    fn()
    runs = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    runs.sort()
    return runs[len(runs) // 2]


out = {}
a = np.random.default_rng(1).standard_normal((n, n), dtype=np.float32)
b = np.random.default_rng(2).standard_normal((n, n), dtype=np.float32)
out["numpy_matmul_gflops"] = 2 * n**3 / best_median(lambda: a @ b, reps) / 1e9
out["numpy_version"] = np.__version__

try:
    import torch

    torch.manual_seed(0)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    out["torch_matmul_gflops"] = 2 * n**3 / best_median(lambda: ta @ tb, reps) / 1e9
    x = torch.randn(batch, c, hw, hw, requires_grad=True)
    conv = torch.nn.Conv2d(c, c, 3, padding=1, bias=False)

    def fwd_bwd():
        y = conv(x)
        y.backward(torch.ones_like(y))

    flops = 3 * 2 * batch * hw * hw * c * c * 9  # forward, input gradient, filter gradient
    out["torch_conv_fwd_bwd_gflops"] = flops / best_median(fwd_bwd, max(2, reps // 3)) / 1e9
    out["torch_conv_fwd_gflops"] = flops / 3 / best_median(lambda: conv(x.detach()), max(2, reps // 3)) / 1e9
    out["torch_version"] = torch.__version__
    out["torch_threads"] = torch.get_num_threads()
except ImportError:
    pass

print(json.dumps(out))
