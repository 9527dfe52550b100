"""The scikit-learn side of the digits comparison, as a whole process: load the 8x8
digits with scikit-learn, fit MLPClassifier(128) (Adam, lr 0.002, batches of 64, early
stopping on 10% of them) on the rows nnlite trains on, print the held-out accuracy.

    python benchmarks/apps/sklearn_digits.py SPLIT.npz   # arrays fit_rows, test_rows
"""

import json
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.neural_network import MLPClassifier


def main(split_path: str) -> None:
    rows = np.load(split_path)
    raw = load_digits()
    x, y = raw.data / 16.0, raw.target
    fit, test = rows["fit_rows"], rows["test_rows"]
    model = MLPClassifier(hidden_layer_sizes=(128,), learning_rate_init=0.002,
                          batch_size=64, max_iter=60, early_stopping=True, random_state=0)
    model.fit(x[fit], y[fit])
    print(json.dumps({"test_accuracy": float(model.score(x[test], y[test]))}))


if __name__ == "__main__":
    main(sys.argv[1])
