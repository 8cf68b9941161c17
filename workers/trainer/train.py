#!/usr/bin/python3
"""Trainer Copilot's detector trainer. Speaks files, arguments and JSON lines only.

    /usr/bin/python3 workers/trainer/train.py --manifest M.json --params P.json --out DIR

stdout: one JSON object per line (start, step, epoch, best, done, error); stderr: logs.
Exit codes: 0 done (also after SIGTERM/SIGINT, reason "stopped"); 2 bad params or
manifest (error event with code bad-params / bad-manifest); 1 anything else (error event).
See README.md in this folder for the full contract.
"""
import argparse
import json
import os
import sys
import time
import traceback

T0 = time.time()
# Before torch loads libgomp: idle OpenMP threads sleep instead of spinning, which keeps
# 2-thread training fast when other processes share the cores (measured 1.6x median).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from det.events import Events  # noqa: E402
from det.log import log  # noqa: E402
from det.params import ParamError, validate  # noqa: E402


class _ArgParser(argparse.ArgumentParser):
    def error(self, message):
        raise ParamError("argv", f"{message}; usage: train.py --manifest M.json --params P.json --out DIR")


def main(argv=None):
    events = Events()
    try:
        ap = _ArgParser(description=__doc__)
        ap.add_argument("--manifest", required=True)
        ap.add_argument("--params", required=True)
        ap.add_argument("--out", required=True)
        ap.add_argument("--exit-with-parent", action="store_true",
                        help="exit when stdin closes: the spawning worker died, and a retry will redo the run")
        args = ap.parse_args(argv)
        try:
            with open(args.params, encoding="utf-8") as f:
                raw = json.load(f)
        except (OSError, ValueError) as e:
            raise ParamError("", f"cannot read params file {args.params}: {e}")
        params = validate(raw)
    except ParamError as e:
        events.emit("error", code="bad-params", field=e.field, message=e.message)
        return 2

    # torch is imported only after the cheap checks so bad input fails fast
    from det import data, models
    from det.loop import StopFlag
    from det.run import run

    stop = StopFlag()
    stop.install()
    if args.exit_with_parent:
        _watch_parent()
    try:
        return run(args.manifest, params, args.out, events, stop, T0)
    except ParamError as e:
        events.emit("error", code="bad-params", field=e.field, message=e.message)
        return 2
    except models.InitError as e:
        events.emit("error", code="bad-params", field="init", message=str(e))
        return 2
    except data.ManifestError as e:
        events.emit("error", code="bad-manifest", message=str(e))
        return 2
    except FloatingPointError as e:
        events.emit("error", code="diverged", message=str(e))
        return 1
    except MemoryError as e:
        events.emit("error", code="out-of-memory", message=f"out of memory: {e}; lower batch or imgSize")
        return 1
    except Exception as e:  # noqa: BLE001 - reported as one error line, details on stderr
        traceback.print_exc(file=sys.stderr)
        code = "out-of-memory" if "out of memory" in str(e).lower() else "internal"
        events.emit("error", code=code, message=f"{type(e).__name__}: {e}")
        return 1
    finally:
        events.close()


def _watch_parent():
    """The worker keeps our stdin open; EOF means it died. Exit at once rather than train on
    as an orphan writing into the run folder that the retried job is about to use."""
    import threading

    def watch():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except OSError:
            pass
        log("parent process gone: exiting")
        os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
