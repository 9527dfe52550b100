"""The config of a run: what it may hold, and the checks that a composed one passes.

    schema.py    every key, its type and its default (dataclasses Hydra merges onto)
    checks.py    value checks beyond types (lr >= 0, names that are registered, ...)
    plugins.py   loading the plugins a config lists, before its names are checked
"""
