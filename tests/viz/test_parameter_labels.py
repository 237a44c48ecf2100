"""Chart labels of the parameters come from the parameter metadata."""

from __future__ import annotations

import dataclasses

from yrdnet.core.params import TravelTimeModel, describe
from yrdnet.plans.uncertainty import ModelRanges
from yrdnet.viz.plan_charts import PARAMETER_LABELS

# Pre-refactor reference: the hand-written labels of the drawn travel-time parameters in
# yrdnet/viz/plan_charts.py at eca6684; the charts must read the same words.
OLD_LABELS = {
    "rail_speed_factor": "rail speed factor of new lines",
    "max_wait_min": "cap on the wait for a train (min)",
    "service_hours": "length of the service day (h)",
    "access_speed_kph": "driving speed to stations (km/h)",
    "terminal_min": "station entry and security (min)",
    "transfer_min": "minimum transfer time (min)",
    "road_speed_factor": "expressway speed factor",
}


def test_labels_of_model_parameters_are_read_from_the_metadata() -> None:
    for f in dataclasses.fields(TravelTimeModel):
        info = describe(TravelTimeModel, f.name)
        assert PARAMETER_LABELS[f.name] == (f"{info.label} ({info.unit})" if info.unit else info.label)
    for name in ModelRanges().as_dict():
        assert PARAMETER_LABELS[name] == OLD_LABELS[name]
