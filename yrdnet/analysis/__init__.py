"""Analysis: one scenario in, a :class:`~yrdnet.ScenarioResult` out.

:func:`~yrdnet.analyze` and :func:`~yrdnet.timeline` (:mod:`~yrdnet.analysis.pipeline`)
run the assembly steps (:mod:`~yrdnet.analysis.steps`, :mod:`~yrdnet.analysis.city_steps`)
that the indicator registry declares (:mod:`~yrdnet.analysis.registry`,
:mod:`~yrdnet.analysis.indicators`); results and their folders
(:mod:`~yrdnet.analysis.results`), comparisons (:mod:`~yrdnet.analysis.compare`), city-pair
train times between main stations (:mod:`~yrdnet.analysis.city_times`), policy targets
(:mod:`~yrdnet.analysis.targets`) and the composite index
(:mod:`~yrdnet.analysis.composite`). Imports the metrics and scenarios wings and those below
them. The names of 0.1's ``yrdnet.analysis`` module are re-exported here.
"""

from typing import Any

from yrdnet.analysis import steps
from yrdnet.analysis.pipeline import STEPS as STEPS
from yrdnet.analysis.pipeline import TIMELINE as TIMELINE
from yrdnet.analysis.pipeline import aggregate_to_cities as aggregate_to_cities
from yrdnet.analysis.pipeline import analyze as analyze
from yrdnet.analysis.pipeline import timeline as timeline
from yrdnet.core.deprecation import forward_attribute

__all__ = ["CORE", "STEPS", "SUBCENTRES", "TIMELINE", "aggregate_to_cities", "analyze", "timeline"]


def __getattr__(name: str) -> Any:
    """Names of 0.1's ``yrdnet.analysis`` module not listed above (PEP 562), with a DeprecationWarning.

    ``CORE`` and ``SUBCENTRES`` come without one: the default region's core and
    sub-centre cities, read when asked for.
    """
    if name in ("CORE", "SUBCENTRES"):
        return getattr(steps, name)
    return forward_attribute(__name__, "yrdnet.analysis.pipeline", name)
