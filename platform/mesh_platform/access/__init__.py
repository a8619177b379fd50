"""Access agreements as code and the warehouse grants derived from them (see agreements.py, grants.py)."""

from .agreements import Agreement, Filed, Unreadable, agreement_id, load_agreements
from .grants import granted_roles, other_privileges, role_of, select_roles
from .listing import agreement_rows

__all__ = ["Agreement", "Filed", "Unreadable", "agreement_id", "agreement_rows", "granted_roles", "load_agreements",
           "other_privileges", "role_of", "select_roles"]
