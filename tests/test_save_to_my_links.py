"""保存到我的链接: someone else's public snapshot becomes the viewer's own link, sharing a
fresh capture's stored files (no second capture), queueing a capture for a stale one,
merging tags into a link the viewer already has, and never for a private link (404)."""

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from warcio.archiveiterator import ArchiveIterator

from linkhome.accounts.services import create_token
from linkhome.archive.artifacts import artifact_bytes
from linkhome.archive.models import Artifact, Snapshot
from linkhome.links import saving
from linkhome.links.deletion import delete_link
from linkhome.links.models import Link
from linkhome.links.services import add_link, link_tag_names
from linkhome.search.api import document_tokens, search
from linkhome.storage.models import Blob
from linkhome.testing.factories import client_for
from linkhome.testing.images import png
from linkhome.worker.sequence import capture_and_follow, follow_copy

pytestmark = pytest.mark.django_db(transaction=True)
LOGO = png(80, 60, seed=5)
CAPTURE_TASK = "linkhome.worker.tasks.capture_snapshot"
FOLLOW_TASK = "linkhome.worker.tasks.follow_copied_capture"


def serve(http_server, *names: str) -> list[str]:
    http_server.route("/logo.png", body=LOGO, headers=[("Content-Type", "image/png")])
    for name in names:
        page = (
            f"<html><head><title>北京 {name} 报道</title></head><body><img src=/logo.png>"
            f"<p>页面 {name} 的正文，讲述城市里的一场雨。</p></body></html>"
        )
        http_server.route(f"/{name}", body=page.encode(), headers=[("Content-Type", "text/html")])
    return [http_server.url(f"/{name}") for name in names]


def capture_tasks() -> int:
    return DBTaskResult.objects.filter(task_path=CAPTURE_TASK).count()


def save_on_the_web(viewer, snapshot_id: int, **form):
    return client_for(viewer).post(f"/s/{snapshot_id}/save/", form)


def test_a_fresh_snapshot_becomes_mine_without_a_second_capture(http_server, owner, other_user):
    (url,) = serve(http_server, "fresh")
    theirs = capture_and_follow(add_link(other_user, url).snapshot.pk)
    tasks_before, snapshots_before = capture_tasks(), Snapshot.objects.count()

    response = save_on_the_web(owner, theirs.pk, tags="雨, 城市", visibility="private")

    mine = Link.objects.get(owner=owner)
    copy = Snapshot.objects.get(link=mine)
    assert response.status_code == 302 and response["Location"] == f"/s/{copy.pk}/"
    assert capture_tasks() == tasks_before  # nothing captured again
    assert Snapshot.objects.count() == snapshots_before + 1
    assert sorted(link_tag_names(mine)) == ["城市", "雨"] and mine.visibility == "private"
    assert (copy.status, copy.title, copy.text) == (theirs.status, theirs.title, theirs.text)
    assert copy.created_at == theirs.created_at  # the capture's own time
    kinds = {a.kind: a.sha256 for a in theirs.artifacts.all()}
    assert {a.kind: a.sha256 for a in copy.artifacts.all()} == kinds  # the same blobs
    # The worker follows the copy as a capture of its own: then it is found in search.
    follows = DBTaskResult.objects.filter(task_path=FOLLOW_TASK, args_kwargs__args=[copy.pk])
    assert follows.count() == 1
    # (the index itself, not a search: a search first rebuilds an index whose version record
    # an earlier test's flush removed, and that would index the copy too)
    assert document_tokens(mine.pk) is None
    follow_copy(copy.pk)
    assert document_tokens(mine.pk) is not None
    assert [hit.snapshot_id for hit in search(owner, "tag:雨").hits] == [copy.pk]
    assert client_for(owner).get(f"/s/{copy.pk}/").status_code == 200


def test_a_stale_snapshot_queues_a_capture(http_server, owner, other_user):
    (url,) = serve(http_server, "stale")
    theirs = capture_and_follow(add_link(other_user, url).snapshot.pk)
    old = timezone.now() - timedelta(days=8)  # LINKHOME_SAVE_FRESH_DAYS is 7
    Snapshot.objects.filter(pk=theirs.pk).update(created_at=old, finished_at=old)
    tasks_before = capture_tasks()

    save_on_the_web(owner, theirs.pk, tags="旧")

    mine = Link.objects.get(owner=owner)
    queued = Snapshot.objects.get(link=mine)
    assert queued.status == "queued" and not queued.artifacts.exists()
    assert capture_tasks() == tasks_before + 1
    assert DBTaskResult.objects.filter(args_kwargs__args=[queued.pk]).exists()


def test_fresh_days_is_a_setting(http_server, owner, other_user, settings):
    settings.SAVE_FRESH_DAYS = 0  # always capture again
    (url,) = serve(http_server, "setting")
    theirs = capture_and_follow(add_link(other_user, url).snapshot.pk)
    saved = saving.save_to_mine(owner, theirs.pk)
    assert saved.capture_queued and not saved.shared
    assert saved.snapshot is not None and saved.snapshot.status == "queued"


def test_a_private_snapshot_is_not_there_to_save(http_server, owner, other_user):
    (url,) = serve(http_server, "secret")
    theirs = capture_and_follow(add_link(other_user, url, visibility="private").snapshot.pk)
    assert save_on_the_web(owner, theirs.pk, tags="x").status_code == 404
    api = client_for(None)
    token = create_token(owner).key
    answer = api.post(
        f"/api/snapshots/{theirs.pk}/save",
        json.dumps({"tags": ["x"]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 404
    assert "secret" not in answer.content.decode() and url not in answer.content.decode()
    with pytest.raises(saving.NoSuchSnapshot):
        saving.save_to_mine(owner, theirs.pk)
    assert not Link.objects.filter(owner=owner).exists()
    # Nor does the page offer it: the snapshot page itself is a 404.
    assert client_for(owner).get(f"/s/{theirs.pk}/").status_code == 404


def test_an_address_i_keep_already_gets_the_tags_merged(http_server, owner, other_user):
    (url,) = serve(http_server, "kept")
    theirs = capture_and_follow(add_link(other_user, url).snapshot.pk)
    mine = add_link(owner, url.replace("http://", "HTTP://"), tags=["旧标签"]).link
    snapshots_before = Snapshot.objects.count()

    response = save_on_the_web(owner, theirs.pk, tags="新标签, 旧标签", visibility="public")

    assert response.status_code == 302
    assert Link.objects.filter(owner=owner).count() == 1
    assert sorted(link_tag_names(mine)) == ["新标签", "旧标签"]
    assert Snapshot.objects.count() == snapshots_before
    mine.refresh_from_db()
    assert mine.visibility == "public"


def test_my_own_snapshot_is_not_saved_again(http_server, owner):
    (url,) = serve(http_server, "own")
    snapshot = capture_and_follow(add_link(owner, url).snapshot.pk)
    page = client_for(owner).get(f"/s/{snapshot.pk}/").content.decode()
    assert 'id="save-to-mine"' not in page
    with pytest.raises(saving.AlreadyYours):
        saving.save_to_mine(owner, snapshot.pk)


def test_the_page_offers_it_to_other_signed_in_readers(http_server, owner, other_user):
    (url,) = serve(http_server, "offer")
    theirs = capture_and_follow(add_link(other_user, url).snapshot.pk)
    assert 'id="save-to-mine"' in client_for(owner).get(f"/s/{theirs.pk}/").content.decode()
    signed_out = client_for(None).get(f"/s/{theirs.pk}/").content.decode()
    assert 'id="save-to-mine"' not in signed_out and "/accounts/login/?next=" in signed_out
    assert client_for(None).post(f"/s/{theirs.pk}/save/").status_code == 302  # to sign in
    assert not Link.objects.filter(url=url).exclude(owner=other_user).exists()


def test_either_copy_survives_deleting_the_other(http_server, owner, other_user):
    """The shared files stay while one snapshot names them; a WARC whose revisit records
    pointed into its keeper's other WARC is given to the saver whole."""
    first, second = serve(http_server, "one", "two")
    capture_and_follow(add_link(other_user, first).snapshot.pk)
    theirs = capture_and_follow(add_link(other_user, second).snapshot.pk)
    their_warc = theirs.artifacts.get(kind="warc")
    kinds = [r.rec_type for r in ArchiveIterator(io.BytesIO(artifact_bytes(their_warc)))]
    assert "revisit" in kinds  # the logo was recorded in full by the first page

    saved = saving.save_to_mine(owner, theirs.pk)
    assert saved.shared and saved.snapshot is not None
    my_warc = saved.snapshot.artifacts.get(kind="warc")
    assert my_warc.sha256 != their_warc.sha256
    logo_url = http_server.url("/logo.png")
    my_records = [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(artifact_bytes(my_warc)))
    ]
    assert "revisit" not in [kind for kind, _, _ in my_records]
    logo = [body for kind, uri, body in my_records if kind == "response" and uri == logo_url]
    assert logo == [LOGO]

    # Their link goes: my copy still reads every file.
    delete_link(Link.objects.get(owner=other_user, url=second))
    for artifact in Artifact.objects.filter(snapshot=saved.snapshot, status="ok"):
        assert artifact_bytes(artifact)
    # Mine goes: what nobody else names is removed, what their first page uses stays.
    shared = set(Artifact.objects.filter(snapshot=saved.snapshot).values_list("sha256", flat=True))
    delete_link(saved.link)
    remaining = set(Artifact.objects.values_list("sha256", flat=True)) - {""}
    assert set(Blob.objects.values_list("sha256", flat=True)) >= remaining
    gone = shared - remaining - {""}
    assert gone and not Blob.objects.filter(sha256__in=gone).exists()


def test_saving_through_the_api_and_the_cli_agree(http_server, owner, other_user):
    (url,) = serve(http_server, "api")
    theirs = capture_and_follow(add_link(other_user, url).snapshot.pk)
    token = create_token(owner).key
    answer = client_for(None).post(
        f"/api/snapshots/{theirs.pk}/save",
        json.dumps({"tags": ["接口"], "visibility": "private"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["shared"] is True and body["capture_queued"] is False
    assert body["link"]["tags"] == ["接口"] and body["link"]["visibility"] == "private"
    again = client_for(None).post(
        f"/api/snapshots/{theirs.pk}/save",
        json.dumps({"tags": ["再次"]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert again.status_code == 200
    assert sorted(again.json()["link"]["tags"]) == ["再次", "接口"]
