"""Plots with matplotlib (Agg, no pyplot): a run's own (run.py), a sweep's (sweep.py),
and the figure helpers both use (figure.py). Nothing here is imported until a plot is
drawn, so runs with `plots=false` never import matplotlib."""
