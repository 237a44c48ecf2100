"""yrdnet: accessibility, centrality and polycentricity of the Yangtze River Delta.

The flat public API. Build a scenario's multimodal graph, route it, and analyse it::

    import yrdnet
    G = yrdnet.build_graph("baseline", year=2025)
    T = yrdnet.travel_times(G, "multimodal")
    res = yrdnet.analyze("baseline_2025")
    yrdnet.compare("baseline_2025", "plan_2035")
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("yrdnet")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

from . import airports as airports
from . import best_plan as best_plan  # callable: yrdnet.best_plan(candidates, budget, ...)
from . import composite as composite
from . import datasets as datasets
from . import gtfs as gtfs
from . import hierarchy as hierarchy
from . import hinterland as hinterland
from . import indicators as indicators
from . import model_uncertainty as model_uncertainty
from . import osm as osm
from . import params as params
from . import plan_plots as plan_plots
from . import services as services
from . import sweep as sweep  # callable: yrdnet.sweep(scenarios, ...)
from . import timetable as timetable
from . import uncertainty as uncertainty  # callable: yrdnet.uncertainty(scenarios, params=..., n=...)
from . import zones as zones
from ._errors import DataError as DataError
from ._errors import DataWarning as DataWarning
from ._errors import GraphContractError as GraphContractError
from ._errors import NotIncrementalError as NotIncrementalError
from ._errors import OutputError as OutputError
from ._errors import ScenarioError as ScenarioError
from ._errors import YrdnetError as YrdnetError
from ._incremental_base import IncrementalBase as IncrementalBase
from .analysis import analyze as analyze
from .analysis import timeline as timeline
from .best_plan import PlanResult as PlanResult
from .best_plan import load_costs as load_costs
from .compare import compare as compare
from .composite import composite_index as composite_index
from .convert import compile_graph as compile_graph
from .convert import graph_to_gdfs as graph_to_gdfs
from .datasets import available as available
from .datasets import get_path as get_path
from .datasets import load_cities as load_cities
from .datasets import load_highways as load_highways
from .datasets import load_lines as load_lines
from .datasets import load_metros as load_metros
from .datasets import load_stations as load_stations
from .datasets import metro_members as metro_members
from .graph import graph_from_tables as graph_from_tables
from .gtfs import Timetable as Timetable
from .gtfs import read_gtfs as read_gtfs
from .incremental import scenario_travel_times as scenario_travel_times
from .incremental import travel_times_incremental as travel_times_incremental
from .incremental import update_zone_distances as update_zone_distances
from .indicators import key_from_words as key_from_words
from .indicators import words as words
from .model_uncertainty import ModelRanges as ModelRanges
from .model_uncertainty import UncertaintyResult as UncertaintyResult
from .osm import graph_from_pbf as graph_from_pbf
from .osm import graph_from_xml as graph_from_xml
from .params import MetricParams as MetricParams
from .params import StructureWeights as StructureWeights
from .params import TravelTimeModel as TravelTimeModel
from .plan_plots import plot_plan as plot_plan
from .plan_plots import plot_sensitivity as plot_sensitivity
from .results import Comparison as Comparison
from .results import ScenarioResult as ScenarioResult
from .routing import UnreachableWarning as UnreachableWarning
from .routing import station_times as station_times
from .routing import travel_times as travel_times
from .routing import trip_breakdown as trip_breakdown
from .scenario import Scenario as Scenario
from .scenario import build_graph as build_graph
from .scenario import list_scenarios as list_scenarios
from .scenario import load_scenario as load_scenario
from .services import load_services as load_services
from .settings import settings as settings
from .sweep import candidate_projects as candidate_projects
from .sweep import local_cluster as local_cluster
from .sweep import package_scenario as package_scenario
from .targets import load_targets as load_targets
from .targets import target_timeline as target_timeline
from .targets import targets as targets
from .timetable import TimetableParams as TimetableParams
from .timetable import earliest_arrival as earliest_arrival
from .timetable import pair_table as pair_table
from .zones import Zones as Zones
from .zones import load_zones as load_zones
from .zones import zones_from_gdf as zones_from_gdf

graph_from_curated = build_graph

__all__ = [
    "Comparison",
    "DataError",
    "DataWarning",
    "GraphContractError",
    "IncrementalBase",
    "MetricParams",
    "ModelRanges",
    "NotIncrementalError",
    "OutputError",
    "PlanResult",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "StructureWeights",
    "Timetable",
    "TimetableParams",
    "TravelTimeModel",
    "UncertaintyResult",
    "UnreachableWarning",
    "YrdnetError",
    "Zones",
    "__version__",
    "airports",
    "analyze",
    "available",
    "best_plan",
    "build_graph",
    "candidate_projects",
    "compare",
    "compile_graph",
    "composite",
    "composite_index",
    "datasets",
    "earliest_arrival",
    "get_path",
    "graph_from_curated",
    "graph_from_pbf",
    "graph_from_tables",
    "graph_from_xml",
    "graph_to_gdfs",
    "gtfs",
    "hierarchy",
    "hinterland",
    "indicators",
    "key_from_words",
    "list_scenarios",
    "load_cities",
    "load_costs",
    "load_highways",
    "load_lines",
    "load_metros",
    "load_scenario",
    "load_services",
    "load_stations",
    "load_targets",
    "load_zones",
    "local_cluster",
    "metro_members",
    "model_uncertainty",
    "osm",
    "package_scenario",
    "pair_table",
    "params",
    "plan_plots",
    "plot_plan",
    "plot_sensitivity",
    "read_gtfs",
    "scenario_travel_times",
    "services",
    "settings",
    "station_times",
    "sweep",
    "target_timeline",
    "targets",
    "timeline",
    "timetable",
    "travel_times",
    "travel_times_incremental",
    "trip_breakdown",
    "uncertainty",
    "update_zone_distances",
    "words",
    "zones",
    "zones_from_gdf",
]
