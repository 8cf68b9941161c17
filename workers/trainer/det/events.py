"""JSON-lines events on stdout (one object per line, flushed), copied to progress.jsonl."""
import json
import math
import os
import sys


def _clean(v):
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v


class Events:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.copy = None
        self.backlog = []

    def attach_file(self, path):
        """Start copying events to `path`, including those emitted before."""
        self.copy = open(path, "w", encoding="utf-8")
        for line in self.backlog:
            self.copy.write(line + "\n")
        self.copy.flush()
        self.backlog = []

    def emit(self, type_, **fields):
        line = json.dumps(_clean({"type": type_, **fields}), ensure_ascii=False, allow_nan=False)
        self.stream.write(line + "\n")
        self.stream.flush()
        if self.copy is not None:
            self.copy.write(line + "\n")
            self.copy.flush()
        else:
            self.backlog.append(line)

    def close(self):
        if self.copy is not None:
            self.copy.close()
            self.copy = None


def ensure_dir(path):
    os.makedirs(path, exist_ok=True)
