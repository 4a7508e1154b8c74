"""Raw sources: the manifest, checksums, and turning scraped pages into clean text.

The project's evidence is a handful of scraped Chinese web pages kept byte for byte under
``data/raw/`` (plus external tables under ``data/external/``), each listed with its SHA-256 in a
``manifest.csv``. This module loads those manifests, checks the files against them, and cleans a
page into plain paragraphs that quotations can be checked against.

Cleaning is a fixed pipeline of small, separately testable steps:

1. :func:`strip_pinyin_glosses` -- drop pinyin readings printed after characters, ``創(chuàng)新``.
2. :func:`to_simplified` -- Traditional to Simplified characters (OpenCC ``t2s``).
3. :func:`normalize_punctuation` -- full-width ASCII forms to half-width, whitespace, line joins.
4. :func:`drop_boilerplate` -- site menus, toolbars, link lists, running headers, related links.
5. :func:`drop_repeated_paragraphs` -- a body the page prints twice is kept once.

Every rule is generic: nothing here knows about a particular source id or file, so a new
district's page gets the same treatment. Textual errors in the pages (OCR slips such as
``阂行区``) are deliberately *not* corrected -- a quotation must match what the page printed.

Quotations are compared with :func:`match_key`, which applies steps 1-3 and then removes all
whitespace, so line breaks, indentation, script and full-width punctuation never decide
whether a quote is found.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from govcases.records.characters import describe_character, forbidden_character
from govcases.records.models import parse_iso_date
from govcases.records.paths import project_paths

__all__ = [
    "BOILERPLATE_LINE_PATTERNS",
    "END_OF_ARTICLE_PATTERNS",
    "KINDS",
    "MANIFEST_COLUMNS",
    "MIN_CONTENT_CHARS",
    "MIN_QUOTE_CHARS",
    "MIN_REPEAT_CHARS",
    "NAV_ITEM_MAX_CHARS",
    "PAGE_DATE_BASES",
    "RUNNING_HEADER_PATTERNS",
    "Source",
    "SourceError",
    "clean_text",
    "data_dir",
    "drop_boilerplate",
    "drop_repeated_paragraphs",
    "load_manifest",
    "match_key",
    "normalize_punctuation",
    "quote_in_source",
    "read_raw",
    "require_checksums",
    "strip_pinyin_glosses",
    "to_simplified",
    "verify_checksums",
]

# ---------------------------------------------------------------------------
# Manifest schema
# ---------------------------------------------------------------------------

#: Columns every manifest must have, in the order the project writes them.
MANIFEST_COLUMNS: tuple[str, ...] = (
    "source_id",
    "file",
    "district",
    "title",
    "kind",
    "publisher",
    "page_date",
    "url",
    "sha256",
)

#: Allowed values of the optional ``page_date_basis`` column: where ``page_date`` comes from.
#: An empty cell (or no such column) with a ``page_date`` means ``printed``, the meaning
#: ``page_date`` had before the column existed; an empty ``page_date`` must say ``unknown``.
PAGE_DATE_BASES: dict[str, str] = {
    "printed": "the page prints this date (for a repost, the repost's date)",
    "elsewhere": "the page prints no date; the date is known from another page or record, named in the record",
    "unknown": "the page prints no date and none is known; page_date stays empty",
}

#: A quote has at least this many characters once whitespace and invisible characters are
#: removed (its :func:`match_key`): a shorter one is found almost anywhere and pins nothing down.
MIN_QUOTE_CHARS = 4

#: Allowed values of the ``kind`` column.
KINDS: frozenset[str] = frozenset(
    {"news-report", "district-report", "journal-article", "news-feature", "external-table"}
)

# Manifests relative to the data folder. The raw one is required because the project has no
# evidence without it; the external one is optional so a checkout without external tables
# still works.
_RAW_MANIFEST = Path("raw") / "manifest.csv"
_EXTERNAL_MANIFEST = Path("external") / "manifest.csv"

_SOURCE_ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*")
_SHA256_RE = re.compile(r"[0-9a-f]{64}")

# ---------------------------------------------------------------------------
# Boilerplate markers (data, not code: extend these lists for a new site)
# ---------------------------------------------------------------------------
# All patterns are matched against one paragraph (line) *after* Simplified conversion and
# punctuation normalization, so they are written with Simplified characters and half-width
# ':', '[', ']'. Each entry is (label, regex); the label names the class in test output.

#: Lines that are page furniture wherever they occur. Reposting and portal sites wrap an
#: article in the same chrome on every page, so the same few shapes recur across sites.
BOILERPLATE_LINE_PATTERNS: tuple[tuple[str, str], ...] = (
    # Breadcrumb trails ("您当前的位置: 首页 > 金融保险") tell the reader where the page sits
    # in the portal; they are never part of the article.
    ("breadcrumb", r"^(?:您当前的位置|您的位置|当前位置)\s*:"),
    ("breadcrumb", r"^首页\s*>"),
    # Toolbars rendered as bracketed widgets ("[ 字体: ] [ 阅读: ] [ 文档下载 ]").
    ("toolbar", r"\[\s*(?:字体|阅读|文档下载|打印|关闭窗口|收藏)\s*:?\s*\]"),
    # Download notices of document-sharing sites, which sell the file the text came from.
    # One literal per entry: the regex engine scans for a plain literal far faster than for
    # an alternation of literals.
    ("download-notice", r"仅供预览"),
    ("download-notice", r"下载后的文档"),
    ("download-notice", r"下载之前请确认"),
    ("download-notice", r"点击这里给我发消息"),
    # Editor's blurb a reposting site puts above the text ("#站名# 导语】以下是…小编为您整理的").
    ("repost-blurb", r"小编为(?:您|大家)整理"),
    ("repost-blurb", r"^#[^#\s]{1,20}#"),
    # The reposting site's own provenance footer ("本文来源:https://…"); the manifest keeps
    # the address, the text does not need it.
    ("source-footer", r"^本文来源\s*:"),
    # Site slogans printed under the logo ("每天发现一点点", "每天学习一点点!").
    ("site-slogan", r"每天(?:发现|学习)一点点"),
    # Per-article metadata strips of template sites ("分类:… 时间:… 本文已影响").
    ("meta-strip", r"^分类\s*:.*时间\s*:"),
    ("meta-strip", r"本文已影响"),
    # Keyword tag lines ("北碚,闵行区,组织建设,启示,经验"): four or more very short terms
    # joined by commas with no sentence punctuation. Prose never has this shape.
    ("tag-line", r"^[^\s,。;:!?、()“”《》]{1,6}(?:,[^\s,。;:!?、()“”《》]{1,6}){3,}$"),
    # Link-list items that end in a posting date ("- 吊具链条直径载重量 2024-03-14").
    ("dated-link", r"^[-*•·●○▪■◆►▸]\s*\S.{0,60}\s\d{4}-\d{1,2}-\d{1,2}$"),
)

#: Lines that end the article: related-link blocks, tag clouds and "more articles" lists.
#: Once one of them appears *after* body text, it and everything below it is dropped. Before
#: any body text (e.g. inside a top menu) only the marker line itself goes, so a stray
#: heading cannot wipe out a whole page.
END_OF_ARTICLE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "related-block",
        r"^(?:相关推荐|推荐阅读|图文聚焦|更多内容推荐|猜你喜欢|热门推荐|相关阅读|相关链接)$",
    ),
    ("hot-terms", r"^相关热词搜索\s*:"),
    ("related-articles", r"^.{0,40}相关文章$"),
    ("prev-next", r"^(?:上一篇|下一篇)\s*:"),
)

#: Running headers: a publication name with its address (or a bare address) printed at the
#: top of every page of a paginated original ("龙源期刊网 http://www.qikan.com.cn"). Every
#: occurrence is dropped; a repeat marks a page break, and if the text before it stops
#: mid-sentence the sentence is rejoined with the text after it.
RUNNING_HEADER_PATTERNS: tuple[tuple[str, str], ...] = (
    ("name-and-url", r"^\S{1,30}\s+https?://\S+$"),
    ("bare-url", r"^https?://\S+$"),
)

#: A paragraph at least this long (characters) counts as body text. It decides when an
#: end-of-article marker comes "after the body" and which paragraphs may be rejoined across
#: a page break; headings, menu items and link titles are shorter.
MIN_CONTENT_CHARS = 40

#: A paragraph that repeats an earlier one verbatim is dropped only when it is at least this
#: long. Pages legitimately repeat short lines (the title above the body and again above the
#: journal text, a section label); a repeated 20+ character paragraph is a duplicated body.
#: 20 characters is roughly one clause of Chinese prose and well above any heading in the
#: sources.
MIN_REPEAT_CHARS = 20

#: Bullet lines and trailing link lines longer than this are treated as prose, not menu items.
NAV_ITEM_MAX_CHARS = 30

# A navigation menu is a run of at least this many bullet lines; one or two bullets may be a
# genuine list in the article.
_MIN_NAV_RUN = 3


def _compile_all(entries: tuple[tuple[str, str], ...]) -> tuple[Callable[[str], object], ...]:
    # Kept as separate patterns rather than one big alternation: each has a literal prefix or
    # a '^' anchor that the regex engine can use to skip ahead, which an alternation loses.
    return tuple(re.compile(regex).search for _, regex in entries)


_BOILERPLATE_RES = _compile_all(BOILERPLATE_LINE_PATTERNS)
_END_RES = _compile_all(END_OF_ARTICLE_PATTERNS)
_HEADER_RES = _compile_all(RUNNING_HEADER_PATTERNS)


def _matches_any(searches: tuple[Callable[[str], object], ...], line: str) -> bool:
    return any(search(line) for search in searches)


# Whether a line may match any of the patterns above, in two regex calls rather than one per
# pattern: the patterns anchored at the start of the line are tried together there (match),
# and the others together anywhere (search), which keeps their literal prefixes apart from the
# anchored ones. Only the few lines that pass are then tested pattern by pattern; a test checks
# that each anchored pattern can only match at the start, so that match is exact for them.
_MARKER_PATTERNS = [regex for _, regex in BOILERPLATE_LINE_PATTERNS + END_OF_ARTICLE_PATTERNS + RUNNING_HEADER_PATTERNS]
_ANCHORED_MARKER = re.compile("|".join(f"(?:{r})" for r in _MARKER_PATTERNS if r.startswith("^"))).match
_FLOATING_MARKER = re.compile("|".join(f"(?:{r})" for r in _MARKER_PATTERNS if not r.startswith("^"))).search


def _may_be_marker(line: str) -> bool:
    return _ANCHORED_MARKER(line) is not None or _FLOATING_MARKER(line) is not None


# A bullet glyph at the start of a line, or '-'/'*' followed by a space (so "-5%" is not one).
_BULLET_RE = re.compile(r"^(?:[•·●○◦▪▫■□◆◇►▶▸‣⁃]|[-*]\s)")
# Sentence-final punctuation, optionally followed by closing quotes/brackets. A line that
# ends like this is a finished sentence, not a link title or a broken line.
_SENTENCE_FINAL = frozenset("。!?;…")
_CLOSERS = "”’\"')》」』"

# ---------------------------------------------------------------------------
# Pinyin glosses
# ---------------------------------------------------------------------------

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Lowercase Latin with every pinyin tone mark (precomposed or combining) and ü.
_PINYIN_LETTERS = "a-zāáǎàēéěèêếềīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ\u0300-\u036f"
# One or more parenthesised runs of lowercase pinyin letters directly after a CJK character.
# A run of consecutive groups is taken in one match so that stripping is idempotent.
_GLOSS_RUN_RE = re.compile(rf"(?<=[{_CJK}])(?:[(（][{_PINYIN_LETTERS}]+(?: [{_PINYIN_LETTERS}]+)*[)）])+")
_GLOSS_GROUP_RE = re.compile(r"[(（]([^()（）]*)[)）]")
# A toneless pinyin syllable (ü written as u). Checking syllable shape keeps parenthesised
# lowercase words that are not pinyin, e.g. "(email)".
_SYLLABLE_RE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:i?ong|[iu]?ang|ueng|eng|ing|[iu]?an|iao|uai|ai|ei|ao|ou|en|in|un|er"
    r"|ia|ie|iu|ua|uo|ui|ue|a|o|e|i|u|ng|n|m)"
)

# ---------------------------------------------------------------------------
# Punctuation and whitespace
# ---------------------------------------------------------------------------

_CHAR_MAP: dict[int, str | None] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_CHAR_MAP.update(
    {
        0x3000: " ",  # ideographic (full-width) space
        0x2236: ":",  # RATIO, used by some pages as a colon in "1∶36.5"
        0x000D: "\n",
        0x000B: "\n",
        0x000C: "\n",
        0x0085: "\n",
        0x2028: "\n",
        0x2029: "\n",
        # Zero-width characters are invisible in a browser but would split words for matching.
        0x200B: None,
        0x200C: None,
        0x200D: None,
        0x2060: None,
        0xFEFF: None,
        0x00AD: None,
    }
)
# Only these characters are remapped; finding them with one regex is much faster than
# str.translate over the whole text, which looks up every character.
_CHAR_MAP_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_CHAR_MAP)) + "]")
_HSPACE_RE = re.compile(r"[^\S\n]+")


def _collapse_hspace(text: str) -> str:
    """``_HSPACE_RE.sub(" ", text)``: each run of whitespace other than line breaks becomes one space."""
    # The regex tests every character against a Unicode category, slowly. Most texts hold no
    # such whitespace but single ASCII spaces, and the only whitespace a printable string can
    # hold is the ASCII space (a test checks this on every character), so str.isprintable,
    # a fast scan, settles those.
    if "  " not in text and _printable_lines(text):
        return text
    return _HSPACE_RE.sub(" ", text)


def _printable_lines(text: str) -> bool:
    """Whether the only whitespace in the text is ASCII spaces and line breaks."""
    return all(map(str.isprintable, text.split("\n")))


def _remove_whitespace(text: str) -> str:
    """``_ANY_SPACE_RE.sub("", text)``, by plain replacement where only spaces and line breaks occur."""
    if _printable_lines(text):
        return text.replace(" ", "").replace("\n", "")
    return _ANY_SPACE_RE.sub("", text)


_ANY_SPACE_RE = re.compile(r"\s+")
# A line ending in clause-internal punctuation has not finished its sentence. ':' is left
# out on purpose: a colon often introduces a list laid out on separate lines.
_CLAUSE_INTERNAL = frozenset(",;、")
# No paragraph can start with these; such a line continues the previous one.
_CANNOT_START = frozenset(",;、。!?")


# ---------------------------------------------------------------------------
# Sources and manifests
# ---------------------------------------------------------------------------


class SourceError(ValueError):
    """A manifest or source file is unusable.

    The message names the file (and, for manifests, the line and column) and says what to do.
    """


@dataclass(frozen=True)
class Source:
    """One row of a manifest, with the absolute path of the file it describes.

    Attributes
    ----------
    source_id : str
        Stable identifier used by the rest of the project (e.g. ``"zhenhai-2015-report"``).
    file : str
        Path of the file relative to the data folder (e.g. ``"raw/002_d09323e79a695f9a.txt"``).
    district : str
        District slug (``"beilun"``), empty for tables that cover several districts.
    title : str
        Title exactly as printed on the page.
    kind : str
        One of :data:`KINDS`.
    publisher : str
        Site, journal or reposting site as named on the page; empty when unknown.
    page_date : str
        ISO date printed on the page (for reposts, the repost date), or empty.
    url : str
        Address printed on the page itself, or empty.
    sha256 : str
        Expected SHA-256 of the file, lowercase hex.
    path : pathlib.Path
        Absolute path of the file.
    page_date_basis : str
        Where ``page_date`` comes from: a key of :data:`PAGE_DATE_BASES`.
    """

    source_id: str
    file: str
    district: str
    title: str
    kind: str
    publisher: str
    page_date: str
    url: str
    sha256: str
    path: Path
    page_date_basis: str = "printed"


def data_dir() -> Path:
    """Return the data folder of the default casebook.

    Returns
    -------
    pathlib.Path
        The ``data`` folder beside the casebook :func:`govcases.load_casebook` reads by default:
        ``GOVCASES_CASEBOOK``'s if set, else the repository's in a source checkout, else the copy
        shipped with the installed package (see :mod:`govcases.records.paths`).
    """
    return project_paths()[1]


def load_manifest(data_root: Path | None = None) -> dict[str, Source]:
    """Read ``raw/manifest.csv`` and, if present, ``external/manifest.csv``.

    Parameters
    ----------
    data_root : pathlib.Path, optional
        Folder holding ``raw/`` and ``external/``; defaults to :func:`data_dir`.

    Returns
    -------
    dict of str to Source
        Sources keyed by ``source_id``, raw sources first, each in manifest order.

    Raises
    ------
    SourceError
        If the raw manifest is missing or not UTF-8, a column is missing, a row has the wrong
        number of fields, an id is repeated (within or across manifests), a ``kind``,
        ``page_date``, ``url``, ``file`` or ``sha256`` value is invalid, or a listed file does
        not exist. The message names the manifest file and line.

    Notes
    -----
    Columns beyond :data:`MANIFEST_COLUMNS` are allowed and ignored. Checksums are not
    verified here (that reads every file); call :func:`verify_checksums` or
    :func:`require_checksums`.
    """
    root = (Path(data_root) if data_root is not None else data_dir()).resolve()
    raw_manifest = root / _RAW_MANIFEST
    if not raw_manifest.is_file():
        raise SourceError(
            f"{raw_manifest}: manifest not found; every data folder needs raw/manifest.csv "
            f"listing its raw files (columns: {','.join(MANIFEST_COLUMNS)})"
        )
    sources: dict[str, Source] = {}
    defined_at: dict[str, str] = {}
    for manifest in (raw_manifest, root / _EXTERNAL_MANIFEST):
        if manifest is not raw_manifest and not manifest.is_file():
            continue
        for line_no, source in _read_manifest(manifest, root):
            where = f"{manifest}:{line_no}"
            if source.source_id in sources:
                raise SourceError(
                    f"{where}: column 'source_id': duplicate id {source.source_id!r} "
                    f"(first defined at {defined_at[source.source_id]}); give every source "
                    f"a unique id"
                )
            sources[source.source_id] = source
            defined_at[source.source_id] = where
    return sources


def _read_manifest(manifest: Path, root: Path) -> list[tuple[int, Source]]:
    try:
        # utf-8-sig: tolerate a BOM from spreadsheet exports, but still reject non-UTF-8.
        text = manifest.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{manifest}: not valid UTF-8 at byte {exc.start}; save the manifest as UTF-8") from exc
    # newline="" as the csv module expects, so quoted fields may hold line breaks and
    # reader.line_num stays the physical line number.
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise SourceError(
            f"{manifest}:1: empty manifest; the first line must be the header {','.join(MANIFEST_COLUMNS)}"
        )
    header = [name.strip() for name in header]
    missing = [name for name in MANIFEST_COLUMNS if name not in header]
    if missing:
        raise SourceError(
            f"{manifest}:1: header is missing column(s) {', '.join(map(repr, missing))}; "
            f"expected {','.join(MANIFEST_COLUMNS)}"
        )
    doubled = sorted({name for name in header if header.count(name) > 1})
    if doubled:
        raise SourceError(
            f"{manifest}:1: column(s) {', '.join(map(repr, doubled))} appear more than once; keep one of each"
        )
    rows = []
    folder = manifest.parent.resolve()  # once, not per row: resolving a path reads every folder on it
    while True:
        try:
            fields = next(reader, None)
        except csv.Error as exc:  # such as a field longer than the csv module's limit
            raise SourceError(
                f"{manifest}:{reader.line_num}: {exc}; check the quotes of that row (a quote left open "
                "runs on to the end of the file)"
            ) from None
        if fields is None:
            break
        line_no = reader.line_num
        if not any(field.strip() for field in fields):
            continue
        if len(fields) != len(header):
            raise SourceError(
                f"{manifest}:{line_no}: row has {len(fields)} fields but the header has "
                f"{len(header)}; quote values that contain commas"
            )
        rows.append((line_no, _row_to_source(dict(zip(header, fields)), manifest, line_no, root, folder)))
    return rows


def _row_to_source(row: dict[str, str], manifest: Path, line_no: int, root: Path, folder: Path) -> Source:
    where = f"{manifest}:{line_no}"

    def bad(column: str, problem: str, fix: str) -> SourceError:
        return SourceError(f"{where}: column {column!r}: {problem}; {fix}")

    for column, value in row.items():
        at = forbidden_character(value)
        if at is not None:
            raise bad(
                column,
                f"character {describe_character(value[at])} is not allowed",
                "delete it (retype the text around it if it came from a copy)",
            )
    source_id = row["source_id"].strip()
    if not _SOURCE_ID_RE.fullmatch(source_id):
        raise bad(
            "source_id",
            f"invalid id {source_id!r}",
            "use lowercase letters, digits, '-', '.', '_' (e.g. 'zhenhai-2015-report')",
        )
    kind = row["kind"].strip()
    if kind not in KINDS:
        raise bad("kind", f"unknown kind {kind!r}", f"use one of {', '.join(sorted(KINDS))}")
    page_date = row["page_date"].strip()
    if page_date:
        try:
            parse_iso_date(page_date)
        except ValueError as err:
            raise bad("page_date", str(err), "or leave it empty when the page prints no date") from None
    page_date_basis = _page_date_basis(row, page_date, bad)
    url = row["url"].strip()
    if url and not url.startswith(("http://", "https://")):
        raise bad("url", f"{url!r} is not an http(s) address", "give the full address or leave empty")
    sha256 = row["sha256"].strip().lower()
    if not _SHA256_RE.fullmatch(sha256):
        raise bad(
            "sha256",
            f"{row['sha256']!r} is not a SHA-256 hex digest",
            "record the 64-character output of sha256sum for the file",
        )
    file = row["file"].strip()
    relative = Path(file)
    if not file or relative.is_absolute() or ".." in relative.parts:
        raise bad(
            "file",
            f"{file!r} is not a path inside the data folder",
            "give the path relative to data/ (e.g. 'raw/000_x.txt')",
        )
    path = root / relative
    if not path.is_file():
        raise bad("file", f"{path} does not exist", "copy the file there or fix the path")
    if not path.resolve().is_relative_to(folder):
        # a link out of the folder would make a file anywhere on the machine a source
        raise bad(
            "file",
            f"{file!r} leads outside {manifest.parent} (a link or '..')",
            f"copy the file itself into {manifest.parent.name}/ and list it there",
        )
    return Source(
        source_id=source_id,
        file=relative.as_posix(),
        district=row["district"].strip(),
        title=row["title"].strip(),
        kind=kind,
        publisher=row["publisher"].strip(),
        page_date=page_date,
        url=url,
        sha256=sha256,
        path=path,
        page_date_basis=page_date_basis,
    )


def _page_date_basis(row: dict[str, str], page_date: str, bad: Callable[[str, str, str], SourceError]) -> str:
    """Check the title and the page date's basis: an untitled or undated page must say so, never pass silently."""
    if not row["title"].strip():
        raise bad(
            "title",
            "empty",
            "write the title the page prints; if it prints none, describe the page in square brackets, "
            "e.g. '[no printed title] report on 某区 social organizations', so a reader knows it is ours",
        )
    basis = row.get("page_date_basis", "").strip()
    if basis and basis not in PAGE_DATE_BASES:
        raise bad("page_date_basis", f"unknown value {basis!r}", f"use one of {', '.join(PAGE_DATE_BASES)}")
    if not page_date:
        # An external table is compiled by us and cites a page in every row; it has no page date.
        if basis != "unknown" and row["kind"].strip() != "external-table":
            raise bad(
                "page_date",
                "empty" + (f" but page_date_basis is {basis!r}" if basis else ""),
                "give the date (page_date_basis printed, or elsewhere when another page gives it), or write "
                "page_date_basis unknown (add the column if the manifest lacks it) and bound the source's "
                "dates in the record (casebook/README.md, 'Undated and untitled pages')",
            )
        return basis
    if basis == "unknown":
        raise bad("page_date_basis", f"'unknown' beside the date {page_date}", "write printed or elsewhere")
    return basis or "printed"


def _iter_sources(sources: Mapping[str, Source] | Iterable[Source]) -> list[Source]:
    return list(sources.values()) if isinstance(sources, Mapping) else list(sources)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_checksums(sources: Mapping[str, Source] | Iterable[Source]) -> list[str]:
    """Recompute every file's SHA-256 and compare it with the manifest.

    Parameters
    ----------
    sources : mapping of str to Source, or iterable of Source
        Typically the result of :func:`load_manifest`.

    Returns
    -------
    list of str
        One human-readable problem per missing, unreadable or changed file; empty when every
        checksum matches.
    """
    problems = []
    for source in _iter_sources(sources):
        try:
            actual = _sha256_of(source.path)
        except OSError as exc:
            problems.append(f"{source.source_id}: {source.path}: cannot read file ({exc.strerror})")
            continue
        if actual != source.sha256.lower():
            problems.append(
                f"{source.source_id}: {source.path}: sha256 is {actual} but the manifest says "
                f"{source.sha256}; the file has changed -- restore the original copy "
                f"(raw data is never edited)"
            )
    return problems


def require_checksums(sources: Mapping[str, Source] | Iterable[Source]) -> None:
    """Raise unless every checksum matches.

    Parameters
    ----------
    sources : mapping of str to Source, or iterable of Source
        Sources to check.

    Raises
    ------
    SourceError
        Listing every problem found by :func:`verify_checksums`.
    """
    problems = verify_checksums(sources)
    if problems:
        raise SourceError("checksum verification failed:\n" + "\n".join(problems))


def read_raw(source: Source, data: bytes | None = None) -> str:
    """Return a source file's text, decoded as strict UTF-8.

    Parameters
    ----------
    source : Source
        The source to read.
    data : bytes, optional
        The file's content, if the caller has read it already.

    Returns
    -------
    str
        The file's text exactly as stored (line endings untouched).

    Raises
    ------
    SourceError
        If the file cannot be read or is not valid UTF-8; the message names the file, line
        and byte offset.
    """
    try:
        data = source.path.read_bytes() if data is None else data
    except OSError as exc:
        raise SourceError(
            f"{source.path}: cannot read source {source.source_id!r} ({exc.strerror}); check the manifest path"
        ) from exc
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"{source.path}:{line}: source {source.source_id!r} is not valid UTF-8 "
            f"(byte {exc.start}: {exc.reason}); raw files must be UTF-8 -- convert the "
            f"original before registering it and record the new checksum"
        ) from exc


# ---------------------------------------------------------------------------
# Cleaning steps
# ---------------------------------------------------------------------------


def _is_pinyin_syllable(token: str) -> bool:
    # Drop tone marks and the umlaut, and accept the keyboard spelling 'v' for ü.
    base = "".join(ch for ch in unicodedata.normalize("NFKD", token) if not unicodedata.combining(ch))
    return _SYLLABLE_RE.fullmatch(base.replace("v", "u")) is not None


def _strip_gloss_run(match: re.Match[str]) -> str:
    return _strip_gloss_run_text(match.group(0))


# Annotated pages repeat the same few hundred glosses; caching the decision per run avoids
# re-validating syllables thousands of times.
@lru_cache(maxsize=4096)
def _strip_gloss_run_text(run: str) -> str:
    position = 0
    for group in _GLOSS_GROUP_RE.finditer(run):
        if not all(_is_pinyin_syllable(token) for token in group.group(1).split(" ")):
            break
        position = group.end()
    return run[position:]


def strip_pinyin_glosses(text: str) -> str:
    """Remove pinyin readings printed in parentheses after Chinese characters.

    Some pages annotate characters with their reading, ``創(chuàng)新`` or ``會(huì)``. A
    parenthesised group is removed when it directly follows a CJK character and every
    space-separated token in it is a single pinyin syllable in lowercase Latin letters, with
    or without tone marks (``(de)``, ``(lǘ)``). Ordinary parenthesised text is kept:
    Chinese (``(不含慈善總會)``), uppercase (``(WFA)``) and lowercase words that are not one
    pinyin syllable (``(email)``).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text without glosses. Idempotent.
    """
    if "(" not in text and "（" not in text:
        return text
    return _GLOSS_RUN_RE.sub(_strip_gloss_run, text)


@lru_cache(maxsize=1)
def _t2s_converter():
    # Imported and built on first use: OpenCC loads dictionaries, which is I/O we do not want
    # at import time.
    import opencc

    try:
        return opencc.OpenCC("t2s")
    except Exception:  # pragma: no cover - depends on the OpenCC build
        return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    """Convert Traditional characters to Simplified with OpenCC's ``t2s`` configuration.

    Parameters
    ----------
    text : str
        Any text; Simplified text passes through unchanged.

    Returns
    -------
    str
        Simplified text.
    """
    if not text:
        return text
    return _t2s_converter().convert(text)


def _join(left: str, right: str) -> str:
    # Chinese needs no space at a join; two Latin words on either side of a clause break do.
    if left[-1] in ",;" and len(left) > 1 and _is_ascii_letter(left[-2]) and _is_ascii_letter(right[0]):
        return f"{left} {right}"
    return left + right


def _is_ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _map_char(match: re.Match[str]) -> str:
    return _CHAR_MAP[ord(match.group(0))] or ""


def normalize_punctuation(text: str) -> str:
    r"""Normalize punctuation and whitespace and rebuild paragraphs.

    * Full-width ASCII variants (U+FF01-U+FF5E, e.g. ``，；：（）``) become their half-width
      forms, as NFKC would map them; the ideographic space becomes a space and U+2236 RATIO
      becomes ``:``. Other characters (``。、“”《》``) are left alone, unlike a blanket NFKC.
    * Line endings become ``\\n``; zero-width characters are removed; any run of other
      whitespace becomes one space; lines are stripped (removing indentation).
    * A line broken inside a sentence is joined to the next line: when it ends with
      ``,`` ``;`` or ``、`` (unless the next line is a bullet item), or when the next line
      starts with punctuation no paragraph can start with (``,;、。!?``).
    * Blank lines are dropped; each remaining line is one paragraph.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        Paragraphs separated by a single ``\\n``, ending with ``\\n``; ``""`` when the text
        has no visible characters. Idempotent.
    """
    text = _CHAR_MAP_RE.sub(_map_char, text.replace("\r\n", "\n"))
    text = _collapse_hspace(text)
    paragraphs: list[str] = []
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        if paragraphs and (
            line[0] in _CANNOT_START or (paragraphs[-1][-1] in _CLAUSE_INTERNAL and not _BULLET_RE.match(line))
        ):
            paragraphs[-1] = _join(paragraphs[-1], line)
        else:
            paragraphs.append(line)
    return "\n".join(paragraphs) + "\n" if paragraphs else ""


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _is_link_like(line: str) -> bool:
    return len(line) <= NAV_ITEM_MAX_CHARS and not _ends_sentence(line)


def _ends_sentence(line: str) -> bool:
    # Only the end of the line is inspected, so the check is O(1) on long paragraphs.
    core = line.rstrip(_CLOSERS)
    return bool(core) and core[-1] in _SENTENCE_FINAL


def drop_boilerplate(text: str) -> str:
    r"""Remove site chrome, menus, link lists and running headers from paragraph text.

    Expects one paragraph per line (the output of :func:`normalize_punctuation`). Rules, in
    order:

    1. Lines matching :data:`BOILERPLATE_LINE_PATTERNS` or :data:`RUNNING_HEADER_PATTERNS`
       are removed.
    2. The first line matching :data:`END_OF_ARTICLE_PATTERNS` that comes after body text (a
       paragraph of at least :data:`MIN_CONTENT_CHARS` characters) ends the article: it and
       everything after it are removed. Earlier marker lines are removed on their own.
    3. Navigation menus -- runs of at least three bullet lines (``• 工作计划格式``) that are
       short and not sentences -- are removed.
    4. Where a repeated running header marked a page break and the body paragraph before it
       stops mid-sentence, it is rejoined with the paragraph after the header.
    5. A trailing run of at least three short lines that are not sentences (a list of links
       to unrelated pages) is removed.

    Parameters
    ----------
    text : str
        Normalized text, one paragraph per line.

    Returns
    -------
    str
        The remaining paragraphs separated by ``\\n``, ending with ``\\n`` (``""`` if none).
    """
    lines = _paragraphs(text)
    keep = [True] * len(lines)
    page_breaks: list[int] = []
    headers_seen: set[str] = set()

    marker = [_may_be_marker(line) for line in lines]
    for i, line in enumerate(lines):
        if not marker[i]:
            continue
        if _matches_any(_HEADER_RES, line):
            keep[i] = False
            # The first occurrence heads page one; later ones sit where a page ended.
            if line in headers_seen:
                page_breaks.append(i)
            headers_seen.add(line)
        elif _matches_any(_BOILERPLATE_RES, line):
            keep[i] = False

    seen_body = False
    for i, line in enumerate(lines):
        if not keep[i]:
            continue
        if marker[i] and _matches_any(_END_RES, line):
            keep[i] = False
            if seen_body:
                for j in range(i + 1, len(lines)):
                    keep[j] = False
                break
        elif len(line) >= MIN_CONTENT_CHARS:
            seen_body = True

    kept = [i for i in range(len(lines)) if keep[i]]
    run: list[int] = []
    for i in [*kept, -1]:  # sentinel flushes the last run
        if i >= 0 and _BULLET_RE.match(lines[i]) and _is_link_like(lines[i]):
            run.append(i)
            continue
        if len(run) >= _MIN_NAV_RUN:
            for j in run:
                keep[j] = False
        run = []

    for header in page_breaks:
        before = next((j for j in range(header - 1, -1, -1) if keep[j]), None)
        after = next((j for j in range(header + 1, len(lines)) if keep[j]), None)
        if before is None or after is None:
            continue
        if len(lines[before]) >= MIN_CONTENT_CHARS and not _ends_sentence(lines[before]):
            lines[before] = _join(lines[before], lines[after])
            keep[after] = False

    kept = [i for i in range(len(lines)) if keep[i]]
    tail = 0
    while tail < len(kept) and _is_link_like(lines[kept[-1 - tail]]):
        tail += 1
    if tail >= _MIN_NAV_RUN:
        for j in kept[len(kept) - tail :]:
            keep[j] = False

    out = [line for line, k in zip(lines, keep) if k]
    return "\n".join(out) + "\n" if out else ""


def drop_repeated_paragraphs(text: str) -> str:
    r"""Keep only the first copy of a paragraph that the page repeats.

    A paragraph is dropped when, after collapsing whitespace, it is identical to an earlier
    paragraph and at least :data:`MIN_REPEAT_CHARS` characters long. Shorter lines (titles,
    section labels) may legitimately appear twice and are kept.

    Parameters
    ----------
    text : str
        Text with one paragraph per line.

    Returns
    -------
    str
        Paragraphs separated by ``\\n``, ending with ``\\n`` (``""`` if none).
    """
    seen: set[str] = set()
    out: list[str] = []
    for line in _paragraphs(text):
        key = _collapse_hspace(line)
        if len(key) >= MIN_REPEAT_CHARS:
            if key in seen:
                continue
            seen.add(key)
        out.append(line)
    return "\n".join(out) + "\n" if out else ""


def _clean_pass(text: str) -> str:
    """One pass of the pipeline."""
    return drop_repeated_paragraphs(drop_boilerplate(_normalized(text)))


# A clean text is the one its last cleaning pass left unchanged, and its match key starts with the
# same steps on the same text: kept for the last few texts, they are done once, not twice.
@lru_cache(maxsize=4)
def _normalized(text: str) -> str:
    """``normalize_punctuation(to_simplified(strip_pinyin_glosses(text)))``: a clean pass's and a match key's start."""
    return normalize_punctuation(to_simplified(strip_pinyin_glosses(text)))


# Each pass either leaves the text alone or removes/joins at least one line, so a fixed point
# comes quickly; the bound only guards against a future rule that oscillates.
_MAX_CLEAN_PASSES = 8


def clean_text(raw: str) -> str:
    r"""Turn a scraped page into clean paragraphs.

    Applies, in order, :func:`strip_pinyin_glosses`, :func:`to_simplified`,
    :func:`normalize_punctuation`, :func:`drop_boilerplate` and
    :func:`drop_repeated_paragraphs`. Each step is idempotent, but one step can expose work
    for another (removing a boilerplate line can leave a sentence broken across two lines
    that the punctuation step joins; removing a zero-width space can put a gloss directly
    after its character), so the pipeline is repeated until the text stops changing. On real
    pages the second pass only confirms the first.

    Parameters
    ----------
    raw : str
        Text as returned by :func:`read_raw`.

    Returns
    -------
    str
        Paragraphs separated by a single ``\\n``, no trailing spaces, ending with ``\\n``
        (``""`` if nothing is left). ``clean_text(clean_text(x)) == clean_text(x)``.
    """
    text = raw
    for _ in range(_MAX_CLEAN_PASSES + 1):
        again = _clean_pass(text)
        if again == text:
            return text
        text = again
    return text


@lru_cache(maxsize=256)
def match_key(text: str) -> str:
    """Normalize text for deciding whether a quotation occurs in a source.

    Applies :func:`strip_pinyin_glosses`, :func:`to_simplified` and
    :func:`normalize_punctuation`, then removes all whitespace. Glosses are stripped once
    more at the end because removing whitespace can put a gloss directly after its character.

    Parameters
    ----------
    text : str
        A quotation or a clean text.

    Returns
    -------
    str
        The comparison key. Idempotent. Results are cached because the same clean text is
        keyed once per quotation checked against it.

    Notes
    -----
    The final gloss pass is the price of idempotence: in a text where one line ends with a
    character and the next starts with a pinyin-shaped group such as ``(a)``, the group is
    dropped from the key of the whole text, so that next line quoted on its own (starting
    with ``(a)``) will not be found. Quote from the character before it instead.
    """
    return strip_pinyin_glosses(_remove_whitespace(_normalized(text)))


def quote_in_source(quote: str, clean: str) -> bool:
    """Tell whether a quotation occurs in a clean text.

    Parameters
    ----------
    quote : str
        The quotation, in Traditional or Simplified, with any whitespace or punctuation width.
    clean : str
        A clean text (or any text; it is keyed the same way).

    Returns
    -------
    bool
        ``match_key(quote) in match_key(clean)``; ``False`` for a quote with no visible
        characters, which would otherwise be "found" everywhere.
    """
    key = match_key(quote)
    return bool(key) and key in match_key(clean)
