"""Buyer personas: the card's fields, the segment each persona points at, and the study's ICP.

The model lives in :mod:`odi.personas.model`; this package re-exports its public names.
"""

from odi.personas.model import (
    CARD_FIELDS,
    FIELD_LABELS,
    ICP,
    MAX_PERSONAS,
    REVIEW_MONTHS,
    BuyingRole,
    ClusterRef,
    Persona,
    PersonaSet,
    PersonaWarning,
    check_within_icp,
    effective_conditions,
    new_persona_id,
    persona_warnings,
    personas_from_json,
    personas_to_json,
)

__all__ = [
    "CARD_FIELDS",
    "FIELD_LABELS",
    "ICP",
    "MAX_PERSONAS",
    "REVIEW_MONTHS",
    "BuyingRole",
    "ClusterRef",
    "Persona",
    "PersonaSet",
    "PersonaWarning",
    "check_within_icp",
    "effective_conditions",
    "new_persona_id",
    "persona_warnings",
    "personas_from_json",
    "personas_to_json",
]
