"""The trainer's one log helper: human-readable lines on stderr.

stdout carries only the JSON-lines events (`events.py`) that the train worker parses, so
every diagnostic goes here, prefixed so it stands out in the worker's log.
"""
import sys


def log(*parts):
    """Write one `[trainer] ...` line to stderr, flushed (the worker reads it live)."""
    print("[trainer]", *parts, file=sys.stderr, flush=True)
