"""ODI Workbench: outcome-driven innovation scoring, importers, personas and exports."""

from odi.analysis.scoring import ScoreResult, Thresholds, score
from odi.scale import Scale
from odi.survey import Survey

__all__ = ["Scale", "ScoreResult", "Survey", "Thresholds", "score"]
__version__ = "0.1.0"
