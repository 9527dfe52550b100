"""Training one run: from a checked config to a trained model and its record.

    build.py        config -> Run: data, model, loss, optimizer
    trainer.py      the loop: batches, evaluation, stopping
    lifecycle.py    a run's life from start to end, whatever the outcome (`train`)
    checkpoint.py   what resuming bit for bit needs
    divergence.py   telling a run that diverged, and where
    diagnostics.py  gradient norms, activation statistics, unit symmetry
    events.py       calling the training-event hooks, a plugin's mistake named
    threads.py      BLAS threads per run
    summary.py      the contents of summary.json
"""
