"""Peer side of `npm run bench -- portrait`: the exercise's post-processing in OpenCV (Debian
python3-opencv) and numpy, on the same 1920x1280 photo and the same 256x256 model mask:
cv2.resize of the mask (INTER_LINEAR), threshold at 128, cv2.blur 13x13 over the photo, and the
composite np.where(mask, photo, blurred). Also the halo-free variant written with the same tools
(blur of photo * background weight, divided by the blurred weight). Prints one JSON line of ms."""
import json
import sys
import time

import cv2
import numpy as np

photo_path, mask_path, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
cv2.setNumThreads(2)
img = cv2.imread(photo_path, cv2.IMREAD_COLOR)
small = cv2.imread(mask_path, cv2.IMREAD_GRAYSCALE)
h, w = img.shape[:2]


def naive():
    mask = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    _, binary = cv2.threshold(mask, 127, 255, cv2.THRESH_BINARY)
    blurred = cv2.blur(img, (13, 13))
    return np.where(binary[:, :, None] == 255, img, blurred)


def weighted():
    alpha = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32) / 255.0
    bgw = 1.0 - alpha
    num = cv2.blur(img.astype(np.float32) * bgw[:, :, None], (13, 13))
    den = cv2.blur(bgw, (13, 13))
    bg = num / np.maximum(den, 1e-4)[:, :, None]
    return (alpha[:, :, None] * img + (1.0 - alpha[:, :, None]) * bg + 0.5).astype(np.uint8)


def bench(fn):
    fn()
    runs = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return sorted(runs)[len(runs) // 2]


print(json.dumps({"postprocess_ms": bench(naive), "weighted_ms": bench(weighted), "opencv_version": cv2.__version__}))
