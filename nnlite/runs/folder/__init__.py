"""A run's folder: written atomically as the run goes, reserved for one writer, and read
back without trusting it.

    writing.py      atomic files, JSON without NaN, .npz without pickle or dates
    recorder.py     a run's files as it goes (config, metrics, model, summary, plots)
    reservation.py  a run never writes over another; a refused start leaves nothing
    provenance.py   run_info.json: versions, machine, git commit
    safe_read.py    reading run files that nobody checked
    loading.py      load_run: a finished run, ready to predict
    background.py   the process that draws the plots later
"""
