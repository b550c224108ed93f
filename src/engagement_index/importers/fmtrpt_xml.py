"""Read the US training report's XML edition safely, course by course, with line numbers.

Security Force Monitor's re-scraped XML (``<YYYY>_<YYYY>_Western_Hemisphere_fmtrpt_dedup.xml``,
UTF-8) is ``<countries>`` > ``<country name=...>`` > ``<program name=...>`` >
``<training>`` with the child elements :data:`TRAINING`; ``<country>`` and ``<program>``
also repeat their name in ``<c_name>`` / ``<p_name>``. The file is read with expat
directly, which gives each element's line, and refuses a DOCTYPE and any entity
declaration (no external or expanding entities can be read). Any other element, a
missing attribute or child, or text outside the leaf elements is an error naming file,
line and element.
"""

from __future__ import annotations

import xml.parsers.expat
from dataclasses import dataclass
from pathlib import Path

from engagement_index.io.errors import InputError
from engagement_index.io.readers import read_text

TRAINING = (
    "course_title",
    "us_unit",
    "student_unit",
    "start_date",
    "end_date",
    "location",
    "quantity",
    "total_cost",
    "page_number",
)
"""The child elements of ``<training>``, each exactly once (in any order)."""
_PARENT = {
    "countries": None,
    "country": "countries",
    "c_name": "country",
    "program": "country",
    "p_name": "program",
    "training": "program",
    **{name: "training" for name in TRAINING},
}
"""Each element and the element it must sit in."""


@dataclass(frozen=True)
class Course:
    """One ``<training>`` element: its line and its values (text stripped)."""

    line: int
    country: str
    program: str
    values: dict[str, str]


class _Reader:
    """Expat handlers that collect the courses and check the structure."""

    def __init__(self, path: Path):
        self.path = path
        self.stack: list[str] = []
        self.attrs: dict[str, str] = {}
        self.text: list[str] = []
        self.training: dict[str, str] | None = None
        self.training_line = 0
        self.courses: list[Course] = []
        self.parser = xml.parsers.expat.ParserCreate(encoding="utf-8")
        p = self.parser
        p.buffer_text = True
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.text.append
        p.StartDoctypeDeclHandler = self.refuse("a DOCTYPE")
        p.EntityDeclHandler = self.refuse("an entity declaration")
        p.ExternalEntityRefHandler = self.refuse("an external entity")

    def fail(self, message: str, element: str | None = None) -> InputError:
        return InputError.at(self.path, message, self.parser.CurrentLineNumber, element)

    def refuse(self, what: str):
        def handler(*args) -> None:
            raise self.fail(f"{what} is not allowed in the report's XML")

        return handler

    def start(self, name: str, attrs: dict[str, str]) -> None:
        parent = self.stack[-1] if self.stack else None
        if name not in _PARENT or _PARENT[name] != parent:
            where = f"inside <{parent}>" if parent else "as the root"
            raise self.fail(f"unexpected element <{name}> {where}", name)
        if name in ("country", "program"):
            if not attrs.get("name", "").strip():
                raise self.fail(f"<{name}> has no name attribute", f"{name}@name")
            self.attrs[name] = attrs["name"].strip()
        elif name == "training":
            self.training, self.training_line = {}, self.parser.CurrentLineNumber
        if "".join(self.text).strip() and parent not in _LEAVES:
            raise self.fail(f"unexpected text {''.join(self.text).strip()[:40]!r}", parent)
        self.text.clear()
        self.stack.append(name)

    def end(self, name: str) -> None:
        self.stack.pop()
        text = "".join(self.text).strip()
        self.text.clear()
        if text and name not in _LEAVES:
            raise self.fail(f"unexpected text {text[:40]!r}", name)
        if name in TRAINING:
            if name in self.training:
                raise self.fail(f"<{name}> given twice in one <training>", name)
            self.training[name] = text
        elif name == "training":
            missing = [t for t in TRAINING if t not in self.training]
            if missing:
                raise self.fail(f"<training> has no <{missing[0]}>", missing[0])
            course = Course(
                self.training_line, self.attrs["country"], self.attrs["program"], self.training
            )
            self.courses.append(course)


_LEAVES = (*TRAINING, "c_name", "p_name")


def read_courses(path: str | Path) -> list[Course]:
    """The courses of one XML report file, in file order.

    Raises
    ------
    InputError
        Naming file, line and element: empty file, bytes that are not UTF-8, malformed or
        truncated XML, a DOCTYPE or entity, an unexpected element or text, a ``<training>``
        with a child missing or repeated, no course at all.
    """
    path = Path(path)
    data = read_text(path).encode("utf-8")
    reader = _Reader(path)
    try:
        reader.parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise InputError.at(
            path, f"malformed XML: {xml.parsers.expat.errors.messages[exc.code]}", exc.lineno
        ) from None
    if not reader.courses:
        raise InputError.at(path, "no <training> element: truncated file", None)
    return reader.courses
