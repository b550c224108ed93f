"""A general composite-indicator engine (OECD/JRC Handbook, 2008).

Layers, as in COINr and pvlib: pure array functions (:mod:`.impute`, :mod:`.treat`,
:mod:`.normalise`, :mod:`.aggregate`), the index structure (:mod:`.structure`), the
pipeline spec (:mod:`.spec`), and :class:`~.index.CompositeIndex`, which carries data,
structure and a recipe log and keeps every stage by name.
"""

from engagement_index.composite.index import CompositeIndex
from engagement_index.composite.spec import PipelineSpec
from engagement_index.composite.structure import Structure

__all__ = ["CompositeIndex", "PipelineSpec", "Structure"]
