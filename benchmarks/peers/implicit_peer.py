"""implicit's AlternatingLeastSquares (v0.7.2 built from source by benchmarks/build-peers.sh) on
the data of `npm run bench -- als`, set up to solve the same problem as ours: confidence
c = 1 + alpha r is handed to implicit as the matrix itself (implicit's loss weights an observed
entry by its value, with preference 1), regularization reg, conjugate gradient with cg_steps
steps, `threads` threads. OpenBLAS must be single-threaded (the caller sets OPENBLAS_NUM_THREADS=1;
implicit warns and runs about 7x slower otherwise).
usage: implicit_peer.py <implicit-dir> <train-base> <test-base> <factors> <iterations> <reg> <alpha> <cg_steps> <threads>
prints one JSON line: seconds per iteration, precision@10 on the held-out users, peak memory."""
import sys

sys.path.insert(0, sys.argv[1])
import numpy as np  # noqa: E402
from implicit.cpu.als import AlternatingLeastSquares  # noqa: E402

from als_common import load, print_figures  # noqa: E402


def main():
    train, test = load(sys.argv[2]), load(sys.argv[3])
    f, iterations = int(sys.argv[4]), int(sys.argv[5])
    reg, alpha, steps, threads = float(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
    confidence = train.copy()
    confidence.data = (1 + alpha * confidence.data).astype(np.float32)
    times = []
    model = AlternatingLeastSquares(
        factors=f,
        regularization=reg,
        alpha=1.0,
        use_cg=True,
        iterations=iterations,
        calculate_training_loss=False,
        num_threads=threads,
        random_state=0,
    )
    model.cg_steps = steps  # an attribute, not a constructor argument, in 0.7
    model.fit(confidence, show_progress=False, callback=lambda it, seconds, loss: times.append(seconds))
    import implicit

    print_figures(times, model.user_factors, model.item_factors, train, test, implicit=implicit.__version__)


main()
