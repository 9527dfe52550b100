"""A pytest plugin for CI: with CI=true (as .ci/run runs), a skipped test fails the run.

Tests of the optional extras (Ray, submitit, joblib, scikit-learn, TensorBoard, MLflow)
skip only where an extra is not installed; CI installs every extra, so a skip there
means an install went wrong and the tests did not really run. Loaded by tests/conftest.py.
"""

import os

_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else ""
        _skipped.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI", "").lower() == "true" and _skipped and exitstatus == 0:
        print("\nCI=true: these tests skipped, so an extra is missing from the install:\n  "
              + "\n  ".join(_skipped))
        session.exitstatus = 1
