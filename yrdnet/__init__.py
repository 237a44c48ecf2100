"""yrdnet: accessibility, centrality and polycentricity of the Yangtze River Delta.

The flat public API. Build a scenario's multimodal graph, route it, and analyse it::

    import yrdnet
    G = yrdnet.build_graph("baseline", year=2025)
    T = yrdnet.travel_times(G, "multimodal")
    res = yrdnet.analyze("baseline_2025")
    yrdnet.compare("baseline_2025", "plan_2035")
"""

from yrdnet import _compat
from yrdnet import timetable as timetable
from yrdnet._version import __version__ as __version__
from yrdnet.analysis import composite as composite
from yrdnet.analysis import indicators as indicators
from yrdnet.analysis.city_potential import core_rank as core_rank
from yrdnet.analysis.compare import compare as compare
from yrdnet.analysis.composite import composite_index as composite_index
from yrdnet.analysis.indicators import key_from_words as key_from_words
from yrdnet.analysis.indicators import words as words
from yrdnet.analysis.periphery import PeripheryOptions as PeripheryOptions
from yrdnet.analysis.periphery import periphery_gains as periphery_gains
from yrdnet.analysis.periphery import periphery_summary as periphery_summary
from yrdnet.analysis.periphery import population_within as population_within
from yrdnet.analysis.pipeline import analyze as analyze
from yrdnet.analysis.pipeline import timeline as timeline
from yrdnet.analysis.results import Comparison as Comparison
from yrdnet.analysis.results import ScenarioResult as ScenarioResult
from yrdnet.analysis.road_validation import road_time_validation as road_time_validation
from yrdnet.analysis.targets import load_targets as load_targets
from yrdnet.analysis.targets import target_timeline as target_timeline
from yrdnet.analysis.targets import targets as targets
from yrdnet.analysis.time_space import core_links as core_links
from yrdnet.analysis.time_space import time_space_table as time_space_table
from yrdnet.analysis.time_space import timeline_convergence as timeline_convergence
from yrdnet.core import params as params
from yrdnet.core.cache import clear_caches as clear_caches
from yrdnet.core.errors import DataError as DataError
from yrdnet.core.errors import DataWarning as DataWarning
from yrdnet.core.errors import GraphContractError as GraphContractError
from yrdnet.core.errors import NotIncrementalError as NotIncrementalError
from yrdnet.core.errors import OutputError as OutputError
from yrdnet.core.errors import ScenarioError as ScenarioError
from yrdnet.core.errors import YrdnetError as YrdnetError
from yrdnet.core.io import load_graphml as load_graphml
from yrdnet.core.io import save_graphml as save_graphml
from yrdnet.core.params import MetricParams as MetricParams
from yrdnet.core.params import StructureWeights as StructureWeights
from yrdnet.core.params import TravelTimeModel as TravelTimeModel
from yrdnet.core.settings import settings as settings
from yrdnet.metrics import airports as airports
from yrdnet.metrics import hierarchy as hierarchy
from yrdnet.metrics import hinterland as hinterland
from yrdnet.metrics.convergence import convergence_summary as convergence_summary
from yrdnet.metrics.convergence import janelle_convergence as janelle_convergence
from yrdnet.metrics.time_space_map import TimeSpaceMap as TimeSpaceMap
from yrdnet.metrics.time_space_map import time_space_map as time_space_map
from yrdnet.network import osm as osm
from yrdnet.network import services as services
from yrdnet.network.graph import graph_from_tables as graph_from_tables
from yrdnet.network.osm import graph_from_pbf as graph_from_pbf
from yrdnet.network.osm import graph_from_xml as graph_from_xml
from yrdnet.network.osm_cache import prefill_overpass_cache as prefill_overpass_cache
from yrdnet.network.osm_roads import OsmRoadOptions as OsmRoadOptions
from yrdnet.network.osm_roads import graph_from_osm as graph_from_osm
from yrdnet.network.services import load_services as load_services
from yrdnet.network.suburban import load_suburban_lines as load_suburban_lines
from yrdnet.plans import best_plan as best_plan
from yrdnet.plans import sweep as sweep
from yrdnet.plans import uncertainty as model_uncertainty
from yrdnet.plans import uncertainty as uncertainty
from yrdnet.plans.best_plan import PlanResult as PlanResult
from yrdnet.plans.best_plan import load_costs as load_costs
from yrdnet.plans.sweep import candidate_projects as candidate_projects
from yrdnet.plans.sweep import local_cluster as local_cluster
from yrdnet.plans.sweep import package_scenario as package_scenario
from yrdnet.plans.uncertainty import ModelRanges as ModelRanges
from yrdnet.plans.uncertainty import UncertaintyResult as UncertaintyResult
from yrdnet.region import datasets as datasets
from yrdnet.region import zones as zones
from yrdnet.region.datasets import available as available
from yrdnet.region.datasets import get_path as get_path
from yrdnet.region.datasets import load_cities as load_cities
from yrdnet.region.datasets import load_corridors as load_corridors
from yrdnet.region.datasets import load_highways as load_highways
from yrdnet.region.datasets import load_line_speeds as load_line_speeds
from yrdnet.region.datasets import load_lines as load_lines
from yrdnet.region.datasets import load_main_stations as load_main_stations
from yrdnet.region.datasets import load_metros as load_metros
from yrdnet.region.datasets import load_peripheries as load_peripheries
from yrdnet.region.datasets import load_stations as load_stations
from yrdnet.region.datasets import metro_members as metro_members
from yrdnet.region.expressways import load_expressways as load_expressways
from yrdnet.region.region import Region as Region
from yrdnet.region.region import load_region as load_region
from yrdnet.region.zones import Zones as Zones
from yrdnet.region.zones import load_zones as load_zones
from yrdnet.region.zones import zones_from_gdf as zones_from_gdf
from yrdnet.routing.compile import compile_graph as compile_graph
from yrdnet.routing.compile import graph_to_gdfs as graph_to_gdfs
from yrdnet.routing.incremental import travel_times_incremental as travel_times_incremental
from yrdnet.routing.incremental import update_zone_distances as update_zone_distances
from yrdnet.routing.large import LargeGraphOptions as LargeGraphOptions
from yrdnet.routing.large import RoadGraph as RoadGraph
from yrdnet.routing.large import od_to_all as od_to_all
from yrdnet.routing.large import road_graph as road_graph
from yrdnet.routing.large import road_graph_from_networkx as road_graph_from_networkx
from yrdnet.routing.large import zone_matrix as zone_matrix
from yrdnet.routing.matrices import UnreachableWarning as UnreachableWarning
from yrdnet.routing.matrices import station_times as station_times
from yrdnet.routing.matrices import travel_times as travel_times
from yrdnet.routing.matrices import trip_breakdown as trip_breakdown
from yrdnet.scenarios.gtfs_export import to_gtfs as to_gtfs
from yrdnet.scenarios.incremental import scenario_travel_times as scenario_travel_times
from yrdnet.scenarios.prepared_base import IncrementalBase as IncrementalBase
from yrdnet.scenarios.scenario import Scenario as Scenario
from yrdnet.scenarios.scenario import build_graph as build_graph
from yrdnet.scenarios.scenario import list_scenarios as list_scenarios
from yrdnet.scenarios.scenario import load_scenario as load_scenario
from yrdnet.timetable import gtfs as gtfs
from yrdnet.timetable.connection_scan import TimetableParams as TimetableParams
from yrdnet.timetable.connection_scan import earliest_arrival as earliest_arrival
from yrdnet.timetable.connection_scan import pair_table as pair_table
from yrdnet.timetable.gtfs import Timetable as Timetable
from yrdnet.timetable.gtfs import read_gtfs as read_gtfs
from yrdnet.viz import plan_charts as plan_plots
from yrdnet.viz.plan_charts import plot_plan as plot_plan
from yrdnet.viz.plan_charts import plot_sensitivity as plot_sensitivity
from yrdnet.viz.time_space import write_time_space_maps as write_time_space_maps

graph_from_curated = build_graph
_compat.install(__name__)

__all__ = [
    "Comparison",
    "DataError",
    "DataWarning",
    "GraphContractError",
    "IncrementalBase",
    "LargeGraphOptions",
    "MetricParams",
    "ModelRanges",
    "NotIncrementalError",
    "OsmRoadOptions",
    "OutputError",
    "PeripheryOptions",
    "PlanResult",
    "Region",
    "RoadGraph",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "StructureWeights",
    "TimeSpaceMap",
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
    "clear_caches",
    "compare",
    "compile_graph",
    "composite",
    "composite_index",
    "convergence_summary",
    "core_links",
    "core_rank",
    "datasets",
    "earliest_arrival",
    "get_path",
    "graph_from_curated",
    "graph_from_osm",
    "graph_from_pbf",
    "graph_from_tables",
    "graph_from_xml",
    "graph_to_gdfs",
    "gtfs",
    "hierarchy",
    "hinterland",
    "indicators",
    "janelle_convergence",
    "key_from_words",
    "list_scenarios",
    "load_cities",
    "load_corridors",
    "load_costs",
    "load_expressways",
    "load_graphml",
    "load_highways",
    "load_line_speeds",
    "load_lines",
    "load_main_stations",
    "load_metros",
    "load_peripheries",
    "load_region",
    "load_scenario",
    "load_services",
    "load_stations",
    "load_suburban_lines",
    "load_targets",
    "load_zones",
    "local_cluster",
    "metro_members",
    "model_uncertainty",
    "od_to_all",
    "osm",
    "package_scenario",
    "pair_table",
    "params",
    "periphery_gains",
    "periphery_summary",
    "plan_plots",
    "plot_plan",
    "plot_sensitivity",
    "population_within",
    "prefill_overpass_cache",
    "read_gtfs",
    "road_graph",
    "road_graph_from_networkx",
    "road_time_validation",
    "save_graphml",
    "scenario_travel_times",
    "services",
    "settings",
    "station_times",
    "sweep",
    "target_timeline",
    "targets",
    "time_space_map",
    "time_space_table",
    "timeline",
    "timeline_convergence",
    "timetable",
    "to_gtfs",
    "travel_times",
    "travel_times_incremental",
    "trip_breakdown",
    "uncertainty",
    "update_zone_distances",
    "words",
    "write_time_space_maps",
    "zone_matrix",
    "zones",
    "zones_from_gdf",
]
