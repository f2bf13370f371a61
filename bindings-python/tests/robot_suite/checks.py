"""A Python keyword library for the suite: a keyword that raises a non-assertion error."""


def divide(a, b):
    return int(a) / int(b)
