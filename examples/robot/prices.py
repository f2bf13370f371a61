"""Keywords of the demo shop."""


def price(amount, discount=0):
    return round(float(amount) * (1 - float(discount)), 2)
