"""Scheduled re-captures on a local site where a known share of the pages change or die.

Round 0 captures N pages; the site then changes some pages, removes some (404 / 410), turns
some into soft 404s (a 200 page saying "该内容已被发布者删除" or "This article is no longer
available"), some into the site's generic error page, and redirects some to its home page;
round 1 makes every link due and runs the real scheduled path: the watch-recaptures claims
(links.watching.claim_due) and the worker's capture sequence (capture → what changed and
health → index → related lists), one capture at a time in this process. Every page carries
what changes on every load (a visit counter, rotating recommendations), and one page in
ten is an article *about* 404 errors (it says "404" and quotes "页面不存在"), which must not
count as gone.

Prints one JSON object: checks per second, new storage per unchanged and per changed
re-capture (Blob.stored_size of the blobs a re-capture added, and the snapshot row's text
column, apart), precision and recall of "changed" and "gone" (the link's health, as its badge says) against
what the site did,
and the time of a scheduled round with the per-host limits on (default LINKHOME_HOST_DELAY
and LINKHOME_HOST_REQUESTS) for a sample. Asserts nothing.

The pages are generated here (sentences written for this bench, Chinese and English); the
site runs in its own process. Usage: python bench/watch.py [N] [--polite-sample 30]
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = 15
# What the site does to a page between round 0 and round 1 (shares add up to 1).
FATES = (
    ("unchanged", 0.75),
    ("changed", 0.10),
    ("gone_404", 0.04),
    ("gone_410", 0.01),
    ("soft_404_zh", 0.03),
    ("soft_404_en", 0.02),
    ("generic_error", 0.02),
    ("moved_home", 0.03),
)
GONE_FATES = {"gone_404", "gone_410", "soft_404_zh", "soft_404_en", "generic_error"}

ZH = [
    "市政府今天召开新闻发布会，介绍了城市更新工作的最新进展",
    "发言人表示，全市已经完成老旧小区改造一百多个，惠及居民三万余户",
    "住建部门负责人详细介绍了加装电梯和管网改造的情况",
    "多位居民代表在现场分享了改造前后的生活变化",
    "专家认为，城市更新要坚持以人为本，尊重居民意愿",
    "记者在现场看到，新修的步道两旁种满了花草",
    "据统计，今年前三季度全市共新增停车位两千余个",
    "社区养老服务中心的建设也在同步推进",
    "有关部门将继续加大资金投入，确保工程质量",
    "下一步，改造项目将向纵深发展，让更多居民受益",
    "这项工作得到了广大市民的普遍支持和积极参与",
    "研究团队通过对比实验发现，新方法的准确率明显提高",
    "该技术已经在多家医院投入试用，效果良好",
    "业内人士指出，行业标准的制定仍需时间",
    "学校今年新开设了人工智能和数据科学相关课程",
]
EN = [
    "The city council met on Tuesday to review progress on the riverside renewal plan",
    "Officials said more than a hundred old housing blocks had been refurbished this year",
    "Residents described how new lifts and repaired pipes had changed their daily lives",
    "Experts warned that renewal must respect the wishes of the people who live there",
    "A new walking path now runs along the river, lined with trees and flower beds",
    "The research team found that the new method was markedly more accurate",
    "Several hospitals have started trials of the technique with encouraging results",
    "Industry observers said common standards would still take years to agree",
    "The school has introduced new courses in machine learning and data science",
    "Funding for the second phase was approved after a long public consultation",
]
ABOUT_404_ZH = (
    "网站运维中最常见的问题之一是死链：服务器返回 404 状态码，浏览器上显示“页面不存在”",
    "检查“软 404”时要注意，有些网站对不存在的页面也返回 200，只在正文里写一句提示",
)
ABOUT_404_EN = (
    "A broken link answers with a 404 status and an error page that should help readers",
    "Some sites serve their error page with a 200 status, which crawlers call a soft 404",
)


def fate_of(number: int) -> str:
    draw = random.Random(f"{SEED}-fate-{number}").random()
    for fate, share in FATES:
        draw -= share
        if draw < 0:
            return fate
    return "unchanged"


def is_english(number: int) -> bool:
    return number % 10 in (3, 7, 9)


def about_404(number: int) -> bool:
    return number % 10 == 5


def paragraphs(number: int, edited: bool) -> list[str]:
    rng = random.Random(f"{SEED}-page-{number}")
    pool, stop = (EN, ". ") if is_english(number) else (ZH, "。")
    paras = [stop.join(rng.sample(pool, 3)) + stop.strip() + f" ({number}-{i})" for i in range(6)]
    if about_404(number):
        extra = ABOUT_404_EN if is_english(number) else ABOUT_404_ZH
        paras[1:1] = [f"{line}{stop.strip()}" for line in extra]
    if edited:  # one paragraph rewritten, one added, as an editor updates a story
        paras[2] = stop.join(rng.sample(pool, 2)) + stop.strip()
        paras.append(
            "Update: this story was corrected." if is_english(number) else "（本文已更新）"
        )
    return paras


def page(number: int, round_no: int) -> tuple[int, list[tuple[str, str]], bytes]:
    fate = fate_of(number) if round_no > 0 else "unchanged"
    if fate == "gone_404":
        return 404, [("Content-Type", "text/html; charset=utf-8")], b"<h1>Not Found</h1>"
    if fate == "gone_410":
        return 410, [("Content-Type", "text/html; charset=utf-8")], b"<h1>Gone</h1>"
    if fate == "moved_home":
        return 302, [("Location", "/")], b""
    rng = random.Random()  # what changes on every load: counters, recommendations
    title = ("Story %d" if is_english(number) else "第 %d 号文章") % number
    if fate == "soft_404_zh":
        title, paras = "微博", ["该内容已被发布者删除", "返回首页"]
    elif fate == "soft_404_en":
        title, paras = "Example News", ["This article is no longer available."]
    elif fate == "generic_error":
        title, paras = "示例网", ["系统繁忙，请稍后再试。", "返回首页 | 联系我们"]
    else:
        paras = paragraphs(number, edited=fate == "changed")
    body = "".join(f"<p>{p}</p>" for p in paras)
    picks = "".join(
        f'<li><a href="/w/{rng.randrange(100000)}.html">推荐 {rng.randrange(1000)}</a></li>'
        for _ in range(5)
    )
    html = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        '<link rel="stylesheet" href="/static/site.css"></head><body>'
        '<nav><a href="/">首页</a> | <a href="/news">新闻</a></nav>'
        f"<article><h1>{title}</h1><p class='meta'>阅读 {rng.randrange(10**6)}</p>{body}</article>"
        f'<aside><h2>猜你喜欢</h2><ul>{picks}</ul></aside><img src="/static/logo.png" alt="">'
        "<footer>© 2026 示例网</footer></body></html>"
    )
    return 200, [("Content-Type", "text/html; charset=utf-8")], html.encode()


def serve_site(count: int) -> None:
    """The site process: prints its port, serves until killed; GET /_round/1 switches."""
    from linkhome.testing.http import LocalHTTPServer
    from linkhome.testing.images import png

    state = {"round": 0}
    server = LocalHTTPServer()

    def handler(request):  # noqa: ANN001, ANN202
        path = request.path
        if path.startswith("/_round/"):
            state["round"] = int(path.rsplit("/", 1)[1])
            return 200, [("Content-Type", "text/plain")], b"ok"
        number = int(path.removeprefix("/w/").removesuffix(".html"))
        return page(number, state["round"])

    for number in range(count):
        server.route(f"/w/{number}.html", handler=handler)
    server.route("/_round/1", handler=handler)
    home = (
        "<html><head><title>示例网</title></head><body><h1>示例网首页</h1><p>欢迎</p></body></html>"
    )
    server.route("/", body=home.encode(), headers=[("Content-Type", "text/html; charset=utf-8")])
    server.route(
        "/static/site.css", body=b"body{font:16px serif}", headers=[("Content-Type", "text/css")]
    )
    server.route("/static/logo.png", body=png(64, 32), headers=[("Content-Type", "image/png")])
    print(server.port, flush=True)
    while True:
        time.sleep(3600)


def ratio(hit: int, total: int) -> float | None:
    return round(hit / total, 4) if total else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("links", nargs="?", type=int, default=1000)
    parser.add_argument("--polite-sample", type=int, default=30)
    parser.add_argument("--site", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.site:
        serve_site(args.site)
        return
    data_dir = tempfile.mkdtemp(prefix="linkhome-bench-watch-")
    os.environ.update(
        LINKHOME_DATA_DIR=data_dir,
        LINKHOME_ALLOW_PRIVATE_NETWORKS="1",
        LINKHOME_BROWSER="off",
        LINKHOME_HOST_DELAY="0",
        LINKHOME_HOST_REQUESTS="8",
        LINKHOME_WATCH_DEFAULT="daily",
        LINKHOME_LOG_LEVEL="WARNING",
    )
    os.environ.pop("DATABASE_URL", None)
    site = subprocess.Popen(
        [sys.executable, __file__, "--site", str(args.links)], stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(site.stdout.readline())
        print(json.dumps(run(args.links, args.polite_sample, port), indent=2))
    finally:
        site.kill()


def run(count: int, polite_sample: int, port: int) -> dict:
    import httpx
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from linkhome.bootstrap import setup_django

    setup_django()
    call_command("migrate", verbosity=0)
    from linkhome.accounts.services import create_user
    from linkhome.archive.models import Artifact, Snapshot
    from linkhome.links import watching
    from linkhome.links.models import Link
    from linkhome.links.services import add_link
    from linkhome.search.analyzers import tokenizer
    from linkhome.storage.models import Blob
    from linkhome.worker.sequence import capture_and_follow

    tokenizer()  # jieba's dictionary, loaded once, not part of a check
    owner = create_user("bench")
    base = f"http://127.0.0.1:{port}"
    numbers = {}
    for number in range(count):
        link = add_link(owner, f"{base}/w/{number}.html").link
        numbers[link.pk] = number
    queued = list(Snapshot.objects.filter(status="queued").values_list("pk", flat=True))
    started = time.perf_counter()
    for snapshot_id in queued:
        capture_and_follow(snapshot_id)
    first_round = time.perf_counter() - started
    first_statuses = Counter(Snapshot.objects.values_list("status", flat=True))

    httpx.get(f"{base}/_round/1")
    Link.objects.update(next_check_at=timezone.now())
    round_start = timezone.now()
    blobs_before = set(Blob.objects.values_list("sha256", flat=True))
    started = time.perf_counter()
    claimed = 0
    claims_seconds = 0.0
    while True:
        claim_started = time.perf_counter()
        batch = watching.claim_due(settings.WATCH_BATCH)
        claims_seconds += time.perf_counter() - claim_started
        if not batch:
            break
        claimed += len(batch)
        for item in batch:
            if item.snapshot_id:
                capture_and_follow(item.snapshot_id)
    second_round = time.perf_counter() - started

    rechecks = list(Snapshot.objects.filter(created_at__gte=round_start).select_related("link"))
    # Each blob new in round 1 is charged to the first re-capture whose artifacts name it.
    charged: set[str] = set(blobs_before)
    stored = {
        blob.sha256: blob.stored_size for blob in Blob.objects.exclude(sha256__in=blobs_before)
    }
    per_fate: dict[str, list[tuple[int, int]]] = {}
    truth_changed, truth_gone, said_changed, said_gone = set(), set(), set(), set()
    compared_changed = set()  # the snapshot's own comparison (a moved page's text differs too)
    health_by_fate: dict[str, Counter] = {}
    for snapshot in sorted(rechecks, key=lambda s: s.pk):
        number = numbers[snapshot.link_id]
        fate = fate_of(number)
        new_bytes = 0
        for sha in Artifact.objects.filter(snapshot=snapshot).values_list("sha256", flat=True):
            if sha and sha not in charged and sha in stored:
                charged.add(sha)
                new_bytes += stored[sha]
        text_bytes = len(snapshot.text.encode("utf-8"))
        per_fate.setdefault(fate, []).append((new_bytes, text_bytes))
        if fate == "changed":
            truth_changed.add(number)
        if fate in GONE_FATES:
            truth_gone.add(number)
        health = snapshot.link.health
        if health == "changed":  # what a person sees: the link's badge (已变更)
            said_changed.add(number)
        if snapshot.change == "changed":
            compared_changed.add(number)
        if health == "gone":
            said_gone.add(number)
        health_by_fate.setdefault(fate, Counter())[health] += 1

    def storage(fate: str) -> dict:
        rows = per_fate.get(fate, [])
        if not rows:
            return {}
        blobs = sorted(b for b, _ in rows)
        return {
            "recaptures": len(rows),
            "new_blob_bytes_mean": round(sum(blobs) / len(rows)),
            "new_blob_bytes_median": blobs[len(blobs) // 2],
            "new_blob_bytes_max": blobs[-1],
            "text_column_bytes_mean": round(sum(t for _, t in rows) / len(rows)),
        }

    result = {
        "links": count,
        "workers": "1 (captures one at a time, in this process; SQLite)",
        "round_0_seconds": round(first_round, 1),
        "round_0_statuses": dict(first_statuses),
        "round_1_claimed": claimed,
        "round_1_seconds": round(second_round, 1),
        "round_1_claim_seconds": round(claims_seconds, 2),
        "checks_per_second": round(len(rechecks) / second_round, 2),
        "storage_per_unchanged_recapture": storage("unchanged"),
        "storage_per_changed_recapture": storage("changed"),
        "fates": {fate: len(rows) for fate, rows in sorted(per_fate.items())},
        "link_health_by_fate": {f: dict(c) for f, c in sorted(health_by_fate.items())},
        "changed": {
            "precision": ratio(len(said_changed & truth_changed), len(said_changed)),
            "recall": ratio(len(said_changed & truth_changed), len(truth_changed)),
            "false_positives": len(said_changed - truth_changed),
        },
        "snapshot_change_changed": {
            "precision": ratio(len(compared_changed & truth_changed), len(compared_changed)),
            "recall": ratio(len(compared_changed & truth_changed), len(truth_changed)),
            "said_changed_by_fate": dict(Counter(fate_of(n) for n in compared_changed)),
        },
        "gone": {
            "precision": ratio(len(said_gone & truth_gone), len(said_gone)),
            "recall": ratio(len(said_gone & truth_gone), len(truth_gone)),
            "false_positives": len(said_gone - truth_gone),
            "missed_by_fate": dict(Counter(fate_of(n) for n in truth_gone - said_gone)),
        },
        "pages_about_404_said_gone": sum(
            1 for n in said_gone if about_404(n) and fate_of(n) not in GONE_FATES
        ),
    }
    result["polite_round"] = polite_round(polite_sample, port, numbers)
    connection.close()
    return result


def polite_round(sample: int, port: int, numbers: dict) -> dict:
    """A scheduled round of `sample` links on one host with the default per-host limits."""
    from django.conf import settings
    from django.utils import timezone

    from linkhome.links import watching
    from linkhome.links.models import Link
    from linkhome.worker.sequence import capture_and_follow

    if sample <= 0:
        return {}
    settings.HOST_DELAY, settings.HOST_REQUESTS = 1.0, 1  # the defaults (README)
    ids = list(Link.objects.order_by("pk").values_list("pk", flat=True)[:sample])
    Link.objects.filter(pk__in=ids).update(next_check_at=timezone.now())
    started = time.perf_counter()
    done = 0
    while batch := watching.claim_due(sample):
        for item in batch:
            if item.snapshot_id:
                capture_and_follow(item.snapshot_id)
                done += 1
    seconds = time.perf_counter() - started
    return {
        "links": done,
        "host_delay_seconds": settings.HOST_DELAY,
        "host_requests": settings.HOST_REQUESTS,
        "seconds": round(seconds, 1),
        "links_per_second_one_host": round(done / seconds, 2) if seconds else None,
    }


if __name__ == "__main__":
    main()
