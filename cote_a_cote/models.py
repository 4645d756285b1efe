"""Imports every feature's models so the metadata (and Alembic) sees all tables."""

from .accounts.models import Invitation, PasswordResetToken, Role, User, UserSession
from .catalogue.models import (
    CapacityStatus,
    Closure,
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Region,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceLanguage,
    Taxonomy,
    TaxonomyTerm,
    Visibility,
)
from .search.models import SearchOutbox

__all__ = [
    "CapacityStatus",
    "Closure",
    "Invitation",
    "Location",
    "Organization",
    "OrganizationKind",
    "OrganizationStatus",
    "PasswordResetToken",
    "Region",
    "Role",
    "Schedule",
    "SearchOutbox",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceAttribute",
    "ServiceLanguage",
    "Taxonomy",
    "TaxonomyTerm",
    "User",
    "UserSession",
    "Visibility",
]
