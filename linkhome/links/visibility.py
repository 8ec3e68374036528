"""The one visibility rule: everyone sees a public link; a private link exists for its owner
alone, everywhere (pages, feeds, search, related articles, API, CLI).

One rule in the three forms its readers need, so that no reader spells it again:
- `visible_q` for the ORM,
- `visible_sql` for raw SQL (the search backends),
- `can_see` for rows already in Python (search hits, related lists checked per view).
A viewer is a user, an anonymous user or None; only a signed-in user owns anything.
Related articles use the rule for a viewer of None (public only, to everyone: a list is
ranked once and shown to all), never for the viewer at hand.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from linkhome.links.models import Visibility

Viewer = AbstractBaseUser | AnonymousUser | None
PUBLIC = Visibility.PUBLIC.value


def viewer_id(viewer: Viewer) -> int | None:
    """The signed-in viewer's user id, or None for anyone else."""
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def can_see(viewer: int | None, owner_id: int, visibility: str) -> bool:
    """Whether the viewer (a user id, or None) may see a link with this owner and visibility."""
    return visibility == PUBLIC or (viewer is not None and owner_id == viewer)


def visible_q(viewer: Viewer, path: str = "") -> Q:
    """The rule as a filter on Link, or on a model that reaches it through `path`
    (e.g. "link__" from Snapshot, "links__" from Tag)."""
    public = Q(**{f"{path}visibility": PUBLIC})
    user = viewer_id(viewer)
    return public if user is None else public | Q(**{f"{path}owner_id": user})


def visible_sql(viewer: int | None, alias: str = "l") -> tuple[str, list[object]]:
    """The rule as a WHERE fragment over the links table under `alias`, with its parameters."""
    if viewer is None:
        return f"{alias}.visibility = %s", [PUBLIC]
    return f"({alias}.visibility = %s OR {alias}.owner_id = %s)", [PUBLIC, viewer]
