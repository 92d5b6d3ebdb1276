"""The wait between attempts of a failed delivery: exponential (×4 from 30 s), capped at
eight hours, ten attempts in all — over a day, so a dead endpoint gets disabled."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webhooks.sending.backoff import ATTEMPTS, LONGEST_WAIT, retry_wait


@pytest.mark.parametrize(
    ("failed", "wait"),
    [(1, 30), (2, 120), (3, 480), (4, 1920), (5, 7680), (6, 28800), (7, 28800), (9, 28800), (10, None)],
)
def test_waits(failed, wait):
    assert retry_wait(failed) == wait


def test_the_attempts_span_more_than_a_day():
    total = sum(retry_wait(n) for n in range(1, ATTEMPTS))
    assert total == 30 + 120 + 480 + 1920 + 7680 + 4 * 28800
    assert total > 24 * 60 * 60


@given(st.integers(min_value=1, max_value=ATTEMPTS - 2))
def test_waits_never_shrink_and_never_pass_the_cap(failed):
    assert retry_wait(failed) <= retry_wait(failed + 1) <= LONGEST_WAIT


def test_counting_starts_at_one():
    with pytest.raises(ValueError):
        retry_wait(0)
