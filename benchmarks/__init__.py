"""Side-by-side speed benchmarks: nnlite against hand-written numpy, PyTorch and
scikit-learn, per training step, plus memory, import time, a run end to end and a sweep.

Run `python -m benchmarks --help`; PyTorch and scikit-learn come with `pip install -e
".[bench]"` (from the checkout) and are skipped with a note when absent. Results: RESULTS.md.
"""
