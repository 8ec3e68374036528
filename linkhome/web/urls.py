from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from linkhome.web import (
    accounts,
    cards,
    exports,
    feeds,
    history,
    links,
    marks,
    notify,
    people,
    search,
    snapshots,
    subscriptions,
    tags,
    tools,
    transfer,
    views,
    watch_default,
)
from linkhome.web.converters import AddressConverter, TextSegmentConverter, TimestampConverter
from linkhome.web.ids import ObjectIdConverter

# Tag names are user text: any of it must round-trip through a URL (see converters.py).
register_converter(TextSegmentConverter, "text")
# Ids a database can hold: anything else is a 404, not an OverflowError (see ids.py).
register_converter(ObjectIdConverter, "id")
# Wayback and Memento addresses: /web/<timestamp>/<original address> (see converters.py).
register_converter(TimestampConverter, "timestamp")
register_converter(AddressConverter, "address")


def feed_paths(prefix: str, view, name: str) -> list:  # noqa: ANN001 - a view function
    """The Atom and the RSS address of one feed: `prefix` + "atom" or "rss" (one name:
    reverse(name, kwargs={"fmt": "rss"}) picks the pattern by its default)."""
    return [path(f"{prefix}{fmt}", view, {"fmt": fmt}, name=name) for fmt in ("atom", "rss")]


urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("add/", views.add, name="add"),
    path("add/tags/", links.add_tag_options, name="add_tag_options"),
    path("tools/", tools.tools_page, name="tools"),
    path("save/", tools.save, name="save"),
    path("save/<id:link_id>/", tools.saved, name="saved"),
    path("manifest.webmanifest", tools.manifest, name="manifest"),
    path("status/", views.status, name="status"),
    path("search/", search.search_page, name="search"),
    path("s/<id:snapshot_id>/", snapshots.snapshot_page, name="snapshot"),
    path("reading/", snapshots.save_reading_settings, name="reading_settings"),
    path("s/<id:snapshot_id>/status/", snapshots.snapshot_status, name="snapshot_status"),
    path("s/<id:snapshot_id>/row-status/", cards.row_status, name="row_status"),
    path("lists/view/", cards.switch_view, name="list_view"),
    path("s/<id:snapshot_id>/a/<str:kind>/", snapshots.artifact, name="artifact"),
    path("s/<id:snapshot_id>/wacz/", exports.snapshot_wacz, name="snapshot_wacz"),
    path("s/<id:a>/diff/<id:b>/", history.diff_page, name="snapshot_diff"),
    path("diff/", history.pick_diff, name="pick_diff"),
    path("web/*/<address:address>", history.address_calendar, name="address_calendar"),
    path("web/<timestamp:timestamp>/<address:address>", history.wayback, name="wayback"),
    path("timegate/<address:address>", history.timegate, name="timegate"),
    path("timemap/link/<address:address>", history.timemap_link, name="timemap_link"),
    path("timemap/json/<address:address>", history.timemap_json, name="timemap_json"),
    path("links/bulk/", marks.bulk_action, name="links_bulk"),
    path("links/<id:link_id>/marks/", marks.set_marks, name="link_marks"),
    path("s/<id:snapshot_id>/save/", marks.save_to_mine, name="snapshot_save"),
    path("links/<id:link_id>/edit/", links.edit, name="link_edit"),
    path("links/<id:link_id>/tags/", links.edit_tags, name="link_tags"),
    path("links/<id:link_id>/recapture/", links.recapture, name="link_recapture"),
    path("links/<id:link_id>/delete/", links.delete, name="link_delete"),
    path("imports/", transfer.imports_page, name="imports"),
    path("imports/<id:job_id>/", transfer.import_page, name="import"),
    path("imports/<id:job_id>/progress/", transfer.import_progress, name="import_progress"),
    path("imports/<id:job_id>/report.csv", transfer.import_report, name="import_report"),
    path("subscriptions/", subscriptions.subscriptions_page, name="subscriptions"),
    path("subscriptions/opml/", subscriptions.opml_import, name="subscriptions_opml"),
    path(
        "subscriptions/<id:subscription_id>/",
        subscriptions.subscription_page,
        name="subscription",
    ),
    path(
        "subscriptions/<id:subscription_id>/unsubscribe/",
        subscriptions.unsubscribe,
        name="unsubscribe",
    ),
    path("export/", transfer.export_page, name="export"),
    path("export/download/", transfer.export_download, name="export_download"),
    path("tags/", tags.cloud, name="tags"),
    path("tag-undo/", tags.undo, name="tag_undo"),  # outside /tags/: a tag may be named "undo"
    path("tags/<text:name>/", tags.tag_page, name="tag"),
    path("tags/<text:name>/edit/", tags.edit, name="tag_edit"),
    *feed_paths("tags/<text:name>/feed.", feeds.tag, "tag_feed"),
    *feed_paths("feeds/latest.", feeds.latest, "latest_feed"),
    *feed_paths("search/feed.", feeds.search, "search_feed"),
    *feed_paths("feeds/private/<str:secret>.", feeds.private, "private_feed"),
    path("people/<id:user_id>/", people.person_page, name="person"),
    *feed_paths("people/<id:user_id>/feed.", feeds.person, "person_feed"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/nickname/", accounts.nickname, name="nickname"),
    path("accounts/notifications/", notify.notifications_page, name="notifications"),
    path(
        "accounts/notifications/feed/new/",
        notify.new_feed_address,
        name="notification_feed_new",
    ),
    path("notifications/feed/<str:key>/", notify.notification_feed, name="notification_feed"),
    path("accounts/", accounts.account, name="account"),
    path("accounts/tokens/", accounts.create_token, name="token_create"),
    path("accounts/tokens/<id:token_id>/revoke/", accounts.revoke_token, name="token_revoke"),
    path("accounts/feed/", accounts.feed_address, name="feed_address"),
    path("accounts/watch-default/", watch_default.set_watch_default, name="watch_default"),
    path(
        "accounts/password/",
        # Our own template name: admin's registration/password_change_form.html (an app
        # listed earlier) would win over one of that name and show the admin's page.
        auth_views.PasswordChangeView.as_view(
            template_name="web/password_change.html", success_url="/"
        ),
        name="password_change",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
]
