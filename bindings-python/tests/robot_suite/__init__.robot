*** Settings ***
Documentation    The listener's end-to-end suite (bindings-python/tests/test_robot.py): one
...              test per way a Robot test can end, in nested suites.
