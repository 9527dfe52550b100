"""The command line's last line of defence: whatever stops it, one `nnlite:` line and an
exit status that says what kind of thing it was (nnlite.cli.exit_codes).

Hydra reports errors itself (a multi-line message, status 1) unless HYDRA_FULL_ERROR=1,
in which case it re-raises them. `guarded` sets that for the call, so every error
reaches this function: Hydra's own (an unknown override or experiment) become one line
with status 1, a file-system error (read-only folder, full disk, permissions) one line
with status 6, Ctrl-C or SIGTERM at any moment one line with 130 or 143. Anything else
is a bug and keeps its traceback; so does everything if the user set HYDRA_FULL_ERROR=1.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable

from nnlite.messages import one_line


def guarded(main: Callable[[], Any]) -> Any:
    """Run `main` and turn what stops it into one line and an exit status."""
    from hydra.errors import HydraException

    from nnlite.cli import exit_codes, signals
    from nnlite.registry import PluginError
    from nnlite.runs.config.errors import ConfigError

    signals.stop_on_sigterm()
    before = os.environ.get("HYDRA_FULL_ERROR")
    user_wants_traces = before == "1"
    os.environ["HYDRA_FULL_ERROR"] = "1"
    try:
        return main()
    except KeyboardInterrupt:
        from nnlite.cli.callbacks import summarize_stopped_sweep

        summarize_stopped_sweep()  # a sweep stopped under a parallel launcher: the jobs so far
        print("nnlite: interrupted", file=sys.stderr)
        sys.exit(signals.exit_status())
    except (ConfigError, PluginError) as err:  # outside a job: e.g. a used sweep folder
        if user_wants_traces:
            raise
        print(f"nnlite: {one_line(err)}", file=sys.stderr)
        sys.exit(exit_codes.for_error(err))
    except HydraException as err:
        if user_wants_traces:
            raise
        cause = f" ({one_line(err.__cause__)})" if err.__cause__ is not None else ""
        where = f"{getattr(err, 'override')!r}: " if getattr(err, "override", None) else ""
        print(f"nnlite: {where}{one_line(err)}{cause}", file=sys.stderr)
        sys.exit(exit_codes.CONFIG)
    except OSError as err:
        if user_wants_traces:
            raise
        print(f"nnlite: cannot write the run's files: {err}", file=sys.stderr)
        sys.exit(exit_codes.FILES)
    finally:
        if before is None:
            os.environ.pop("HYDRA_FULL_ERROR", None)
        else:
            os.environ["HYDRA_FULL_ERROR"] = before
