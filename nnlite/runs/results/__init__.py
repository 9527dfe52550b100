"""Many runs, and new data for one: sweep summaries, the objective that ranks runs, the
runs listing, and inputs to predict on or evaluate with.

    sweep.py      summary.csv, summary.md and the plots at a sweep's root
    objective.py  the one number that ranks runs (sweepers, best rows)
    listing.py    finding runs and sweeps under a folder (`nnlite runs`)
    inputs.py     a trained run's new inputs, and labelled data to evaluate on
"""
