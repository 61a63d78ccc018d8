"""The ORM entities of the whole domain. Importing this package registers every table."""

from laborstation.model.area import COUNTY, GROUP, LEVEL_NAMES, LEVELS, TOWNSHIP, VILLAGE, Area
from laborstation.model.assistance import HardToEmploy, WelfarePost
from laborstation.model.employers import Employer, Intention, JobPosting, PartnerSite
from laborstation.model.people import Household, Person
from laborstation.model.placement import Placement
from laborstation.model.reporting import MonthlyReturn, Target
from laborstation.model.rights import RightsCase, Visit, visit_person
from laborstation.model.system import AuditEntry, Setting, User
from laborstation.model.training import Course, Enrolment

__all__ = [
    "COUNTY", "GROUP", "LEVELS", "LEVEL_NAMES", "TOWNSHIP", "VILLAGE",
    "Area", "AuditEntry", "Course", "Employer", "Enrolment", "HardToEmploy", "Household",
    "Intention", "JobPosting", "MonthlyReturn", "PartnerSite", "Person", "Placement",
    "RightsCase", "Setting", "Target", "User", "Visit", "WelfarePost", "visit_person",
]
