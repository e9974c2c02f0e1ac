"""Buyer personas: the card's fields, the segment each persona points at, and the study's ICP.

The model lives in :mod:`odi.personas.model`; this package re-exports its public names.
"""

from odi.personas import model
from odi.personas.model import *  # noqa: F403 (the public names are model.__all__)

__all__ = model.__all__
