"""A dataset's own country names: one of the 33 countries, or listed as out of scope.

Each dataset spells countries its own way ('Saint Vincent', 'Trinidad -Tobago'). A name
resolves through ``countries.csv`` (names and aliases) to one of the 33 countries, or is
listed in the dataset's committed out-of-scope file ``indicators/datasets/<name>.txt``
(one name per line, ``#`` comments). Any other name is an error: that is how a misspelt
or new name is caught instead of silently dropped.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from engagement_index.io.errors import InputError
from engagement_index.io.readers import read_text
from engagement_index.ledger.datasets import load_registry
from engagement_index.ledger.framework import Framework


def read_name_list(path: Path, fw: Framework) -> frozenset[str]:
    """Read an out-of-scope list; return its names case-folded.

    Parameters
    ----------
    path : Path
        The list: one name per line; blank lines and lines starting with ``#`` ignored.
    fw : Framework
        Reference tables; a listed name must not resolve to one of the 33 countries.

    Raises
    ------
    InputError
        For a duplicate name or a name that is one of the 33 countries.
    """
    seen: dict[str, int] = {}
    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        name = raw.strip()
        if not name or name.startswith("#"):
            continue
        key = name.casefold()
        if key in seen:
            raise InputError.at(
                path, f"{name!r} is listed twice (first at line {seen[key]})", number
            )
        if fw.resolve_country(name) in fw.countries:
            raise InputError.at(
                path, f"{name!r} is one of the 33 countries; remove it from this list", number
            )
        seen[key] = number
    return frozenset(seen)


class CountryNames:
    """Resolve a dataset's country names, counting the out-of-scope names met.

    Parameters
    ----------
    fw : Framework
        Reference tables (countries and their aliases).
    out_of_scope : Path
        The dataset's committed list of names outside the 33 countries.
    """

    def __init__(self, fw: Framework, out_of_scope: Path):
        self._fw = fw
        self.list_file = out_of_scope
        self._out = read_name_list(out_of_scope, fw)
        self._cache: dict[str, str | None] = {}
        self.skipped: Counter[str] = Counter()

    @classmethod
    def of_dataset(cls, fw: Framework, dataset: str) -> CountryNames:
        """The resolver of a registered dataset, with the list its registry entry names.

        Raises
        ------
        InputError
            When the registry (``indicators/datasets.yaml``) names no list for ``dataset``.
        """
        entry = load_registry(fw.paths)[dataset]
        if entry.out_of_scope is None:
            raise InputError.at(
                fw.paths.indicators / "datasets.yaml",
                "no out-of-scope list",
                None,
                f"{dataset}.out_of_scope",
            )
        return cls(fw, fw.paths.indicators / "datasets" / entry.out_of_scope)

    def resolve(self, name: str, file: str | Path, line: int, field: str) -> str | None:
        """Return the ISO3 code of ``name``, or None when it is listed as out of scope.

        Raises
        ------
        InputError
            Naming ``file``, ``line`` and ``field`` when the name is neither.
        """
        name = name.strip()
        if name not in self._cache:
            code = self._fw.resolve_country(name)
            if code in self._fw.countries:
                self._cache[name] = code
            elif name.casefold() in self._out:
                self._cache[name] = None
            else:
                raise InputError.at(
                    file,
                    f"unknown country name {name!r}: add it to the aliases in countries.csv "
                    f"if it is one of the 33 countries, else to {self.list_file.name}",
                    line,
                    field,
                )
        code = self._cache[name]
        if code is None:
            self.skipped[name] += 1
        return code
