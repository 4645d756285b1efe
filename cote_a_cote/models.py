"""Imports every feature's models so the metadata (and Alembic) sees all tables."""

from .accounts.models import (
    EmailVerificationToken,
    Invitation,
    PasswordResetToken,
    User,
    UserSession,
)
from .audit.models import AuditEvent
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
    ServicePause,
    Taxonomy,
    TaxonomyTerm,
    Visibility,
)
from .feedback.models import PersonFeedback
from .helplines.models import Helpline, ReferrerListing
from .listing_reports.models import (
    ListingReport,
    ListingReportEvent,
    ReportKind,
    ReportStatus,
)
from .mail.models import MailOutbox
from .notifications.models import Notification
from .prospects.models import Prospect, ProspectStatus
from .recognition.models import (
    AwardStatus,
    EngagementRecord,
    RecognitionAward,
    RecognitionLevel,
)
from .referrals.models import (
    ContactMode,
    DeclinedBy,
    Outcome,
    Referral,
    ReferralEvaluation,
    ReferralNeed,
    ReferralStatus,
)
from .reporting.models import ReportHighlight
from .revisions.models import ProfileRevision, RevisionAction, RevisionStatus, RevisionTarget
from .search.models import SearchOutbox
from .shortlists.models import Shortlist, ShortlistEntry
from .training.models import (
    ModuleSection,
    RecordStatus,
    SessionEnrolment,
    TrainingModule,
    TrainingRecord,
    TrainingSession,
)
from .uploads.models import OwnerKind, StoredFile
from .vetting.models import EventAction, OrganizationEvent

__all__ = [
    # Reports on a listing (issue 11 §9)
    "ListingReport",
    "ListingReportEvent",
    "ReportKind",
    "ReportStatus",
    # Engagement recognition (issue 6 §1)
    "AwardStatus",
    # Fair recognition and the report's story (issue 17 §3 §4)
    "EngagementRecord",
    "ReportHighlight",
    # The person's say, help lines and shortlists (issue 12)
    "Helpline",
    "PersonFeedback",
    "ReferrerListing",
    "Shortlist",
    "ShortlistEntry",
    "RecognitionAward",
    "RecognitionLevel",
    # Referrals and audit (issue 5, issue 6 §4)
    "AuditEvent",
    "ContactMode",
    "DeclinedBy",
    "Outcome",
    "Referral",
    "ReferralEvaluation",
    "ReferralNeed",
    "ReferralStatus",
    "CapacityStatus",
    "EmailVerificationToken",
    "EventAction",
    "Notification",
    "OrganizationEvent",
    "ProfileRevision",
    "Prospect",
    "ProspectStatus",
    "RecordStatus",
    "RevisionAction",
    "RevisionStatus",
    "RevisionTarget",
    "TrainingModule",
    "TrainingRecord",
    "ModuleSection",
    "SessionEnrolment",
    "TrainingSession",
    "Closure",
    "Invitation",
    "Location",
    "MailOutbox",
    "Organization",
    "OrganizationKind",
    "OrganizationStatus",
    "PasswordResetToken",
    "Region",
    "Schedule",
    "SearchOutbox",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceAttribute",
    "ServiceLanguage",
    "ServicePause",
    "Taxonomy",
    "TaxonomyTerm",
    "User",
    "UserSession",
    "Visibility",
    # Uploaded files (issue 17 §2)
    "OwnerKind",
    "StoredFile",
]
