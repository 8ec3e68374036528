"""Fill a fresh LinkHome data directory for bench/web.py: users, links, tags, snapshots.

Runs as its own process because Django's settings (the data directory) are fixed per
process and bench/web.py seeds one directory per dataset size:

    LINKHOME_DATA_DIR=DIR python bench/web_seed.py COUNT   → prints one JSON object

Users come from the accounts service; links, tags, snapshots and artifact rows are
bulk-created (the services add one link per transaction: minutes for 10k rows). Every
snapshot succeeded, with real article text and a readable-HTML blob stored the way the
capture pipeline stores it (zstd against the page body).
"""

import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from web_articles import Article, articles, page_html, readable_html

from linkhome import bootstrap

READER = "reader"  # the one account that signs in; it owns 1/USERS of the links
PASSWORD = "bench-reader-password"
USERS = 8
SHARED_TAG = "新闻"  # on one link in three, by every owner: the tag page measured
LATER_TAG = "稍后读"
PRIVATE_EVERY = 7  # one link in seven is private
SPAN_DAYS = 730  # links spread over two years, so relative times vary ("1 年前")
BATCH = 500


def main() -> None:
    count = int(sys.argv[1])
    bootstrap.ready()
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic(), _timestamps_settable():
        users = make_users()
        links = make_links(users, count)
        tag_links(users, links)
        snapshots = make_snapshots(links)
        artifact_count = make_artifacts(snapshots)
    report = {
        "links": len(links),
        "snapshots": len(snapshots),
        "artifacts": artifact_count,
        "users": len(users),
        "username": READER,
        "password": PASSWORD,
        "tag": SHARED_TAG,
        **write_snapshot_paths(users[0]),
        "seed_seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report))


@contextlib.contextmanager
def _timestamps_settable() -> Iterator[None]:
    """auto_now(_add) would stamp every row with the same instant; a feed needs history."""
    from linkhome.archive.models import Snapshot
    from linkhome.links.models import Link

    fields = [Link._meta.get_field(name) for name in ("created_at", "updated_at")]
    fields.append(Snapshot._meta.get_field("created_at"))
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def make_users() -> list:
    from linkhome.accounts.services import create_user

    # Only the reader gets a password: hashing one costs ~0.3 s.
    others = [create_user(f"keeper{n}") for n in range(1, USERS)]
    return [create_user(READER, PASSWORD), *others]


def article_for(number: int) -> Article:
    library = articles()
    return library[number % len(library)]


# A few sites per language: "same site" lists (related links) then have many candidates,
# as on a real instance where people keep pages from the same big news sites.
ZH_SITES = ("news.sina.com.cn", "www.163.com", "news.qq.com", "www.thepaper.cn")
EN_SITES = ("www.bbc.co.uk", "www.theguardian.com", "www.reuters.com", "apnews.com")


def article_url(article: Article, number: int) -> str:
    if article.language == "zh":
        site = ZH_SITES[number % len(ZH_SITES)]
        return f"https://{site}/c/{article.key}-{number}.shtml"
    site = EN_SITES[number % len(EN_SITES)]
    return f"https://{site}/news/{article.topic}-{article.key[-3:]}{number}"


def make_links(users: list, count: int) -> list:
    from django.utils import timezone

    from linkhome.lib.urls import normalize_url, site_of
    from linkhome.links.models import Link, Visibility

    now, step = timezone.now(), timedelta(days=SPAN_DAYS) / count
    links = []
    for number in range(count):
        url = article_url(article_for(number), number)
        created = now - step * (count - number)  # the last link is the newest
        private = number % PRIVATE_EVERY == PRIVATE_EVERY // 2
        links.append(
            Link(
                owner=users[number % len(users)],
                url=url,
                normalized_url=normalize_url(url),
                host=site_of(url),
                visibility=Visibility.PRIVATE if private else Visibility.PUBLIC,
                created_at=created,
                updated_at=created,
            )
        )
    return Link.objects.bulk_create(links, batch_size=BATCH)


def tag_names_for(number: int) -> list[str]:
    names = [article_for(number).topic]
    if number % 3 == 0:
        names.append(SHARED_TAG)
    if number % 10 == 0:
        names.append(LATER_TAG)
    return names


def tag_links(users: list, links: list) -> None:
    from linkhome.links.models import Link, Tag

    names = {article.topic for article in articles()} | {SHARED_TAG, LATER_TAG}
    tags = Tag.objects.bulk_create([Tag(owner=u, name=n) for u in users for n in sorted(names)])
    by_owner_and_name = {(t.owner_id, t.name): t.pk for t in tags}
    through = [
        Link.tags.through(link_id=link.pk, tag_id=by_owner_and_name[(link.owner_id, name)])
        for number, link in enumerate(links)
        for name in tag_names_for(number)
    ]
    Link.tags.through.objects.bulk_create(through, batch_size=BATCH)


def make_snapshots(links: list) -> list:
    from linkhome.archive.models import Snapshot

    snapshots = [snapshot_for(link, article_for(n)) for n, link in enumerate(links)]
    return Snapshot.objects.bulk_create(snapshots, batch_size=BATCH)


def snapshot_for(link, article: Article):
    from linkhome.archive.models import Snapshot, SnapshotStatus

    text = article.text
    return Snapshot(
        link=link,
        url=link.url,
        status=SnapshotStatus.SUCCEEDED,
        attempts=1,
        created_at=link.created_at + timedelta(seconds=1),
        started_at=link.created_at + timedelta(seconds=2),
        finished_at=link.created_at + timedelta(seconds=6),
        http_status=200,
        final_url=link.url,
        content_type="text/html; charset=utf-8",
        charset="utf-8",
        charset_source="header",
        title=article.title,
        author="新浪网记者" if article.language == "zh" else "BBC News",
        published=link.created_at.date(),
        site_name="新浪网" if article.language == "zh" else "BBC News",
        language=article.language,
        description=article.paragraphs[0][:200] if article.paragraphs else "",
        text=text,
        extractor="trafilatura",
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )


# The snapshot page lists every artifact and reads only the readable one; the feed looks
# for favicons. The other rows point at the page body's blob: this bench never downloads
# them.
PAGE_KINDS = (
    ("warc", "application/warc"),
    ("raw_html", "text/html"),
    ("html", "text/html; charset=utf-8"),
    ("single_file", "text/html; charset=utf-8"),
    ("headers", "text/plain; charset=utf-8"),
)


def make_artifacts(snapshots: list) -> int:
    from linkhome.archive.models import Artifact
    from linkhome.storage.blobs import put_blob
    from linkhome.testing.images import png

    favicon = put_blob(png(16, 16, 13), "image/png")
    stored: dict[str, tuple] = {}  # article key → (page blob, readable blob): stored once
    rows = []
    for number, snapshot in enumerate(snapshots):
        article = article_for(number)
        if article.key not in stored:
            stored[article.key] = store_article(article)
        page, readable = stored[article.key]
        rows.append(_artifact(Artifact, snapshot, "readable", readable, "text/html"))
        rows.extend(_artifact(Artifact, snapshot, kind, page, mime) for kind, mime in PAGE_KINDS)
        rows.append(_artifact(Artifact, snapshot, "favicon", favicon, "image/png"))
    Artifact.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def store_article(article: Article) -> tuple:
    from linkhome.storage.blobs import put_blob

    page = put_blob(page_html(article).encode(), "text/html")
    # As the capture pipeline does: the readable HTML compressed against the page body.
    readable = put_blob(readable_html(article).encode(), "text/html", base=page.sha256)
    return page, readable


def _artifact(model, snapshot, kind: str, blob, mime: str):
    return model(snapshot=snapshot, kind=kind, sha256=blob.sha256, size=blob.size, mime=mime)


def write_snapshot_paths(reader) -> dict:
    """The snapshot pages the reader may see (public and own): wrk picks among them."""
    from linkhome.links import queries

    ids = list(queries.visible_snapshots(reader).values_list("pk", flat=True))
    path = Path(os.environ["LINKHOME_DATA_DIR"]) / "bench-snapshot-paths.txt"
    path.write_text("".join(f"/s/{pk}/\n" for pk in ids))
    tagged = queries.tagged_snapshots(reader, SHARED_TAG).count()
    return {"snapshot_paths_file": str(path), "visible_snapshots": len(ids), "tag_rows": tagged}


if __name__ == "__main__":
    main()
