"""Functions for child-process tests: importable without Django, as a child imports them."""

import time

MB = 1024 * 1024


def sleep(seconds):
    time.sleep(seconds)
    return seconds


def boom():
    raise ValueError("bad input")


def grab_memory(megabytes):
    return len(bytearray(megabytes * MB))


def slow_facts(data, **kwargs):
    time.sleep(30)
