"""Browser mode: Playwright's async API driving Debian's Chromium (DESIGN.md, "browser").

No Django here and no database: the capture step (capture/steps/browser.py) decides when to
use it, hands it the page's URL, the exchanges already made and the guarded fetch function,
and stores what comes back. Modules: host.py (the one browser of the process and its
thread), page.py (one page: load, scroll, settle, screenshot/thumbnail/PDF/DOM), network.py
(every request answered through SafeClient).
"""

import os
import shutil

from .host import BrowserConfig, BrowserCrashed, BrowserFailed, BrowserHost, browser_host
from .page import Rendered

__all__ = [
    "BrowserConfig",
    "BrowserCrashed",
    "BrowserFailed",
    "BrowserHost",
    "Rendered",
    "browser_host",
    "chromium_available",
]


def chromium_available(executable: str) -> bool:
    """True when `executable` (a path or a command name) can be run."""
    if os.path.sep in executable:
        return os.path.isfile(executable) and os.access(executable, os.X_OK)
    return shutil.which(executable) is not None
