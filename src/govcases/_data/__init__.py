"""Where the casebook and its data land in an installed wheel.

The wheel packages the repository's own ``casebook/`` and ``data/`` folders here (``package-dir`` in
pyproject.toml), as ``_data/casebook`` and ``_data/data``: the layout the loader expects of any project.
In a source checkout this folder holds only this file, and :mod:`govcases.records.paths` reads the
repository's folders instead. The library finds this folder through :mod:`importlib.resources`, never
through a path of its own.
"""
