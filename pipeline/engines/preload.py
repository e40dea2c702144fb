"""Imported once by the forkserver, before it forks any worker (engines/local.py).

It builds the default Pipeline -- the phrase automata, every compiled
pattern, the language model: about a CPU-second -- so that every
worker forked afterwards inherits it instead of building its own. Then it
freezes the garbage collector's view of everything built so far: those
objects are never scanned again, so the workers' collections stay short and
do not write to (and so copy) the pages they share with the forkserver.

A failure here must not kill the forkserver: the workers then build their
own Pipeline and report the problem in one clear line, as they always did.
"""
from __future__ import annotations

import gc

from . import keep_inherited

try:
    from ..process import Pipeline
    from ..registry import building_for_workers

    building_for_workers()   # the parent reports the language gaps, once
    keep_inherited(Pipeline())
except Exception:  # a broken pattern file: each worker says so (engines/local.py _serve)
    pass
gc.freeze()
