"""Places and distances: the offline gazetteer of Québec municipalities."""

from .distance import bounding_box, geodesic_km, haversine_km
from .gazetteer import Place, find_municipality, normalize_name, places, suggest

__all__ = [
    "Place",
    "bounding_box",
    "find_municipality",
    "geodesic_km",
    "haversine_km",
    "normalize_name",
    "places",
    "suggest",
]
