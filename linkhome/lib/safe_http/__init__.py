"""The one guarded HTTP client of LinkHome (see DESIGN.md, capture pipeline, "fetch").

Every outgoing request of the platform goes through SafeClient: hard limits on time and
size, http/https only, and an SSRF guard that resolves each host once, refuses it if any
address is not public (unless Limits.allow_private), and connects to the checked address.
No Django here: callers turn settings into a Limits.
"""

from .client import SafeClient
from .models import Exchange, FetchError, FetchResult, Limits
from .network import Resolver, deadline_scope
from .urls import check_url

__all__ = [
    "Exchange",
    "FetchError",
    "FetchResult",
    "Limits",
    "Resolver",
    "SafeClient",
    "check_url",
    "deadline_scope",
]
