"""ODI Workbench: outcome-driven innovation scoring, importers, personas and exports."""

from odi.scale import Scale
from odi.scoring import ScoreResult, Thresholds, score
from odi.survey import Survey

__all__ = ["Scale", "ScoreResult", "Survey", "Thresholds", "score"]
__version__ = "0.1.0"
