"""A fork server for the suite's sync servers: one process that has imported the server once, forking a child
per `LiveServer.start()` instead of a fresh interpreter.

Why: a fresh `python -m sync_server serve` spent about 3.5 s of CPU importing FastAPI, SQLAlchemy, Alembic and
the routes before it answered, and the suite starts a server about 300 times (most tests want a fresh database).
A fork of a process that has already imported them starts in a fraction of that. The child runs the very same
entry point (`sync_server.cli.main`) with the caller's arguments, environment and working directory, in its own
session with its output in the server's log, so it is the same server a subprocess would be.

Safe to fork because this process only imports: no threads, no open database connection, no event loop. The child
is reaped by the kernel (SIGCHLD ignored here), so callers watch it through /proc (`ForkedProcess`).

Protocol: one JSON object per line on stdin, {"argv", "env", "cwd", "stdout", "stderr", "result"?}; the answer is
{"pid"} on stdout. With "result", the child writes its exit code there before it exits (a CLI command the caller
waits for: `tests.helpers.run_server_cli`). EOF on stdin (the test process has gone) ends it.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from typing import Any


def _child(request: dict[str, Any]) -> None:
    """Never returns: runs the server's CLI, then exits with its code."""
    code = 1
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the server's own subprocesses are waited for as usual
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            target = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            os.dup2(target, fd)
            os.close(target)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        sys.argv = ["sync_server", *request["argv"]]
        from sync_server.cli import main

        code = main(request["argv"]) or 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            if request.get("result"):  # the exit code, for a command the caller waits for
                with open(request["result"] + ".tmp", "w") as fh:
                    fh.write(str(code))
                os.replace(request["result"] + ".tmp", request["result"])
        finally:
            os._exit(code)


def serve() -> None:
    # Everything `serve` loads, loaded once: the CLI, the app with its routes, the ASGI server and the migrations.
    import uvicorn  # noqa: F401

    import sync_server.cli
    import sync_server.main
    import sync_server.migrate  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request)
        sys.stdout.write(json.dumps({"pid": pid}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
