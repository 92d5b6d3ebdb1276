"""contracts.documents.pdf.with_stack_room: a deep call kept within one stack chunk of its own.

On CPython 3.11 and 3.12 a call that keeps crossing a boundary between two of the
interpreter's 16 KiB frame chunks maps a fresh chunk at each crossing (python/cpython#142183),
which shows as one page fault per call. The render of every PDF starts through
``with_stack_room`` so that this does not depend on how deep its caller is.
"""

from __future__ import annotations

import resource
import sys

import pytest

from contracts.documents.pdf import with_stack_room

chunks_freed_at_once = pytest.mark.skipif(
    not (3, 11) <= sys.version_info[:2] < (3, 13),
    reason="frame chunks are freed at once only on CPython 3.11 and 3.12",
)

CALLS = 2000
# A chunk holds about 2,000 slots and each level below takes a dozen or so: 400 levels span
# more than two chunks, so the loop below sits right at a boundary at some depth.
DEPTHS = range(400)


def _descend(depth: int, then):
    if depth:
        return _descend(depth - 1, then)
    return then()


def _leaf() -> None:
    return None


def _loop() -> None:
    for _ in range(CALLS):
        _leaf()


def _worst_page_faults(call) -> int:
    """The most minor page faults that ``CALLS`` calls made from any of ``DEPTHS`` cost."""
    worst = 0
    for depth in DEPTHS:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        call(lambda depth=depth: _descend(depth, _loop))
        worst = max(worst, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return worst


@chunks_freed_at_once
def test_calls_at_a_chunk_boundary_fault_on_every_call_without_room() -> None:
    # The condition the helper is for, seen the same way as in the test below.
    assert _worst_page_faults(lambda call: call()) >= CALLS // 2


@chunks_freed_at_once
def test_calls_from_any_depth_stay_in_one_chunk_with_room() -> None:
    assert _worst_page_faults(with_stack_room) < 50


def test_passes_arguments_and_returns_the_result() -> None:
    assert with_stack_room(divmod, 17, 5) == (3, 2)
    assert with_stack_room(dict, a=1) == {"a": 1}


def test_raises_what_the_function_raises() -> None:
    with pytest.raises(ZeroDivisionError):
        with_stack_room(divmod, 1, 0)
