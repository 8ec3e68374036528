"""Rebuild this folder from the two upstream checkouts (see README.md); run once, kept to show how.

Usage: ``python prepare.py <Corrected dir> <HTML dir> <out dir>`` where ``Corrected`` is
``seomoz/dragnet_data``'s ``dragnet_Corrected.tar.gz`` unpacked and ``HTML`` holds
``j-szulc/html-cleaning-dataset-merged``'s ``dragnet_data/input/*.html``.
"""

from __future__ import annotations

import collections
import gzip
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import tldextract
from lxml import html

from linkhome.lib.text_score import is_cjk, tokenize

MARK = "!@#$%^&*()  COMMENTS"  # upstream's separator between article and comments
PER_SITE = 2  # pages kept per site: keeps the set under ~5 MB and no blog dominates
MIN_MAIN, MIN_COMMENTS = 20, 5  # tokens: a real article, and comments really there
EXT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
BLOG_HOSTS = (".typepad.com", ".squarespace.com", ".wordpress.com")  # one blog per host
SOURCES = (
    ("//link[translate(@rel,'CANONICAL','canonical')='canonical']/@href", "canonical"),
    ("//meta[@property='og:url']/@content", "og:url"),
    ("//link[@rel='alternate'][contains(@type,'rss') or contains(@type,'atom')]/@href", "feed"),
    ("//link[@rel='shortlink']/@href", "shortlink"),
)
NOT_SITES = re.compile(
    r"google|facebook|twitter|doubleclick|gravatar|feedburner|wp\.com|addthis|cloudfront"
    r"|akamai|disqus|gmpg|w3\.org|youtube|linkedin|stumbleupon|digg|reddit|delicious"
    r"|quantserve|scorecardresearch|statcounter|sharethis|typekit|jquery|yahoo|amazon"
    r"|creativecommons|flickr|pinterest|blogger\.com|bit\.ly|feeds|cdn"
)


def site_of(url: str) -> str:
    ext = EXT(url)
    host = (ext.fqdn or "").removeprefix("www.")
    return host if host.endswith(BLOG_HOSTS) else ext.top_domain_under_public_suffix


def page_site(tree: html.HtmlElement) -> tuple[str, str]:
    """The page's site and where it was read: its own address, else its commonest link host."""
    for xpath, how in SOURCES:
        urls = [u for u in tree.xpath(xpath) if u.startswith("http") and "feedburner" not in u]
        if urls:
            return site_of(urls[0]), how
    hosts = collections.Counter(
        site_of(u)
        for u in tree.xpath("//a/@href|//link/@href|//form/@action")
        if u.startswith("http")
    )
    hosts = collections.Counter({h: n for h, n in hosts.items() if h and not NOT_SITES.search(h)})
    return (hosts.most_common(1)[0][0], "links") if hosts else ("", "")


def blob(data: bytes) -> str:
    return (
        subprocess.run(
            ["git", "hash-object", "--stdin"], input=data, capture_output=True, check=True
        )
        .stdout.decode()
        .strip()
    )


def main(corrected: Path, pages: Path, out: Path) -> None:
    rows = []
    for gold_path in sorted(corrected.glob("*.html.corrected.txt")):
        gold = gold_path.read_text(encoding="utf-8", errors="replace")
        if MARK not in gold:
            continue  # no comments on this page
        main_text, _, comments = gold.partition(MARK)
        if len(tokenize(main_text)) < MIN_MAIN or len(tokenize(comments)) < MIN_COMMENTS:
            continue
        if is_cjk(main_text):
            continue
        page_id = gold_path.name.removesuffix(".html.corrected.txt")
        raw = (pages / f"{page_id}.html").read_bytes()
        site, how = page_site(html.document_fromstring(raw))
        rows.append(
            (hashlib.sha256(page_id.encode()).hexdigest(), page_id, site, how, raw, gold_path)
        )
    kept: dict[str, int] = collections.Counter()
    (out / "pages").mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    lines = ["id\tsite\tsite_from\tsplit\tfile\ttruth\thtml_upstream_blob\ttruth_upstream_blob"]
    for _, page_id, site, how, raw, gold_path in sorted(rows):  # sha256(id) order: a fixed sample
        if kept[site] >= PER_SITE:
            continue
        kept[site] += 1
        split = "tune" if hashlib.sha256(site.encode()).digest()[0] % 2 == 0 else "report"
        file, truth = f"pages/{page_id}.html.gz", f"truth/{page_id}.txt"
        (out / file).write_bytes(gzip.compress(raw, mtime=0))
        (out / truth).write_bytes(gold_path.read_bytes())
        fields = (page_id, site, how, split, file, truth, blob(raw), blob(gold_path.read_bytes()))
        lines.append("\t".join(fields))
    (out / "manifest.tsv").write_text(
        "\n".join(sorted(lines, key=lambda x: (x[0] != "i", x))) + "\n"
    )


if __name__ == "__main__":
    main(*(Path(a) for a in sys.argv[1:4]))
