"""Peer side of `npm run bench -- vgg`: PyTorch on the CPU (Debian python3-torch), 2 threads.
VGG-16 (config D) forward at batch 8, 224x224; one SGD step (momentum 0.9, weight decay 5e-4)
at batch 8; and the compact CIFAR VGG-11 with batch norm (32x32, 512-wide classifier, 10
classes) forward+backward+step at batch 64. The networks are built here (torchvision is not
packaged with Debian's torch) with torchvision's layout. Prints one JSON line of ms per batch."""
import json
import sys
import time

import torch
import torch.nn as nn

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
torch.set_num_threads(2)
torch.manual_seed(0)

CFG = {
    11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
}


def vgg(depth, bn, side, width, classes):
    layers, c = [], 3
    for v in CFG[depth]:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1)] + ([nn.BatchNorm2d(v)] if bn else []) + [nn.ReLU(inplace=True)]
            c = v
    s = side // 32
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(c * s * s, width), nn.ReLU(True), nn.Dropout(0.5), nn.Linear(width, width), nn.ReLU(True), nn.Dropout(0.5), nn.Linear(width, classes))


def median_ms(fn):
    fn()
    runs = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    runs.sort()
    return runs[len(runs) // 2]


def train_step(model, x, y, opt):
    def step():
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    return step


out = {"torch_version": torch.__version__, "torch_threads": torch.get_num_threads()}
m16 = vgg(16, False, 224, 4096, 1000)
x = torch.rand(8, 3, 224, 224)
y = torch.randint(0, 1000, (8,))
m16.eval()
with torch.no_grad():
    out["vgg16_forward_ms"] = median_ms(lambda: m16(x))
m16.train()
out["vgg16_train_step_ms"] = median_ms(train_step(m16, x, y, torch.optim.SGD(m16.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)))
del m16
mc = vgg(11, True, 32, 512, 10)
xc = torch.rand(64, 3, 32, 32)
yc = torch.randint(0, 10, (64,))
out["cifar_vgg11_train_step_ms"] = median_ms(train_step(mc, xc, yc, torch.optim.SGD(mc.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)))
print(json.dumps(out))
