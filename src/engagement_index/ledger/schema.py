"""Pydantic models of the project's data: sources, actors, countries, pillars, indicators,
units.

Evidence rows are checked in :mod:`engagement_index.evidence`, where each check needs the
other tables; the models here hold what can be checked on one record alone.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

STATUSES: dict[str, str] = {
    "reported": "the figure as stated",
    "approx": "about, around, nearly, almost, roughly, some",
    "over": "over, more than (a lower bound)",
    "just_over": "just over (a lower bound, close to the value)",
    "at_least": "at least, or presence implied by a list or a plural (a lower bound)",
    "fewer_than": "fewer than, less than, under (an upper bound)",
    "up_to": "up to (an upper bound)",
    "zero_listed": "zero documented by a complete list that leaves the country out",
    "conflict": "disagrees with another row; conflicts.yaml says which value is scored",
    "pledged": "promised, 'was supposed to provide': recorded, never scored",
    "planned": "announced, negotiated or discussed but not concluded: recorded, never scored",
    "not_delivered": "a failed or cancelled deal, or items that never reached the military: "
    "recorded, never scored",
    "in_negotiation": "in the process of signing: recorded, never scored",
    "context": "a fact with no fitting indicator (outcomes, ratios, deployments outside the "
    "indicators): recorded, never scored",
}
"""Evidence status vocabulary and what each status means."""

UNSCORED_STATUSES: tuple[str, ...] = (
    "pledged",
    "planned",
    "not_delivered",
    "in_negotiation",
    "context",
)
"""Statuses of facts the ledger records but the matrix never scores."""

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SOURCE_ID = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(_Strict):
    """A source document in ``seeds/catalog.yaml``."""

    id: str
    file: str
    original_file: str
    title: str
    authors: list[str]
    outlet: str
    date: str = Field(description='as the text states it, or "not stated"')
    events_until: str
    sha256: str
    surveys: list[str] = Field(
        default_factory=list,
        description="actors whose engagement across the region the document surveys: its "
        "largest documented case of a kind caps that actor's unknown cells (README)",
    )

    @field_validator("id")
    @classmethod
    def _id_form(cls, v: str) -> str:
        if not _SOURCE_ID.match(v):
            raise ValueError("must be lower-case letters, digits and hyphens")
        return v

    @field_validator("sha256")
    @classmethod
    def _sha_form(cls, v: str) -> str:
        if not _SHA256.match(v):
            raise ValueError("must be 64 lower-case hex digits")
        return v


HATCH = re.compile(r"^[-/\\|+xoO.*]*$")


class Actor(_Strict):
    """An engaging power in ``indicators/actors.yaml``: ledger code, names, chart style."""

    code: str = Field(pattern=r"^[A-Z]{3}$")
    name: str = Field(min_length=1, description="as written in tables, e.g. United States")
    article: str = Field("", description='put before the name in a sentence, e.g. "the"')
    short: str = Field(min_length=1, description="label in tight places, e.g. US")
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$", description="hex colour of charts")
    colour_name: str = Field(min_length=1, description="the colour in words, e.g. blue")
    hatch: str = Field(description="matplotlib hatch for print, e.g. '' or '//'")
    scored: bool = Field(description="False: kept as evidence, never scored")
    aliases: list[str] = Field(default_factory=list, description="names datasets use")

    @field_validator("hatch")
    @classmethod
    def _hatch_form(cls, v: str) -> str:
        if not HATCH.match(v):
            raise ValueError("a matplotlib hatch is made of the characters / \\ | - + x o O . *")
        return v

    @property
    def in_sentence(self) -> str:
        """The name inside a sentence, e.g. "the United States"."""
        return f"{self.article} {self.name}".strip()

    @property
    def short_in_sentence(self) -> str:
        """The short label inside a sentence, e.g. "the US"."""
        return f"{self.article} {self.short}".strip()

    @property
    def to_start(self) -> str:
        """The name at the start of a sentence, e.g. "The United States"."""
        text = self.in_sentence
        return text[:1].upper() + text[1:]


class Pillar(_Strict):
    """A pillar (sub-index) of the engagement index."""

    id: str = Field(pattern=r"^[A-Z]{3}$")
    name: str
    description: str


class Indicator(_Strict):
    """An indicator definition in ``indicators/indicators.yaml``."""

    id: str
    name: str
    pillar: str | None = Field(None, description="None only for an unscored indicator")
    concept: str
    unit: str = Field(description="canonical unit")
    units: list[str] = Field(min_length=1, description="units a ledger row may use")
    measures: dict[str, str] = Field(description="the measure that serves each actor")
    direction: Literal[1, -1]
    rule: Literal["sum", "max", "latest"]
    kind: Literal["flow", "stock"] = Field(
        description="flow: counted per period (trainees, deliveries, money, visits); "
        "stock: a state that holds at a date (agreement in force, facility, system)"
    )
    scored: bool = Field(True, description="False: kept as evidence and context, not scored")
    description: str
    rationale: str

    @field_validator("id")
    @classmethod
    def _id_form(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError("must be snake_case")
        return v

    @model_validator(mode="after")
    def _scored_has_pillar(self) -> Indicator:
        if self.scored and self.pillar is None:
            raise ValueError("a scored indicator needs a pillar")
        return self


class Unit(_Strict):
    """A unit, its family and its factor to the family's canonical unit."""

    name: str
    family: Literal["usd", "cny", "tiv", "count", "presence", "context"]
    factor: float = Field(gt=0)


class Country(_Strict):
    """One of the 33 Latin American and Caribbean states."""

    iso3: str = Field(pattern=r"^[A-Z]{3}$")
    name: str
    subregion: Literal["South America", "Central America", "Caribbean"]
    aliases: list[str]


class Region(_Strict):
    """A region code for region-wide evidence (never spread over countries)."""

    code: str = Field(pattern=r"^[A-Z]{3}$")
    name: str
    members: str


class Conflict(_Strict):
    """Rows of the ledger that disagree, and the rule that picks the scored one."""

    id: str
    rows: list[str] = Field(min_length=2)
    scored: str = Field(description="id of the row whose value is used for scoring")
    rule: str
    reason: str
