"""Words a reader sees in a figure, in English or Chinese: indicator and district names, units, notes.

Every label comes from the casebook's metadata (the codebook's ``label_en``/``label_zh``, the
profiles' ``name_en``/``name_zh``) or from the small tables here, never from an id: a figure shows
no fact id, snake_case name or slug (a test scans every built figure for them).
"""

from __future__ import annotations

import re

from govcases.records.casebook import Casebook

__all__: list[str] = []

#: Codebook categories as a reader names them (the codebook gives them as ids with a description).
CATEGORY_LABELS = {
    "organizations": ("Organizations", "社会组织数量"),
    "growth": ("Growth", "增长"),
    "funding": ("Funding", "资金投入"),
    "registration": ("Registration", "登记管理"),
    "incubation_hubs": ("Incubation and hubs", "孵化与枢纽"),
    "evaluation_supervision": ("Evaluation and supervision", "评估与监管"),
    "purchase_transfer": ("Purchase and transfer", "购买服务与职能转移"),
    "volunteers": ("Volunteers", "志愿者"),
    "context": ("Context", "背景"),
}


def tr(en: str, zh: str, chinese: bool) -> str:
    """The English or the Chinese wording."""
    return zh if chinese else en


def title(ax, text: str, chinese: bool, **options) -> None:
    """Set an axis title in bold: DejaVu Sans Bold, or Noto Sans SC emboldened by a stroke in Chinese."""
    _svg_bold(ax.figure, ax.set_title(text, **bold(chinese), **options), chinese)


def suptitle(fig, text: str, chinese: bool, **options) -> None:
    """Set a figure's title in bold, as :func:`title` does."""
    _svg_bold(fig, fig.suptitle(text, **bold(chinese), **options), chinese)


def _svg_bold(fig, text, chinese: bool) -> None:
    """Name an emboldened title (``boldN``), so that the SVG can keep it as text with a stroke.

    A text drawn with path effects becomes outlines in an SVG; :func:`govcases.publish.build.save_figure`
    draws these titles without the effect in the SVG and gives their ``<text>`` the same stroke instead.
    """
    if chinese:
        n = getattr(fig, "_govcases_bold", 0) + 1
        fig._govcases_bold = n
        text.set_gid(f"bold{n}")


def bold(chinese: bool) -> dict:
    """Text options for a bold title (the CJK font has no bold weight: a stroke stands in for it)."""
    from govcases.publish.style import title_effects

    return {"fontweight": "normal" if chinese else "bold", "path_effects": title_effects(chinese=chinese)}


def district_name(cb: Casebook, district: str, chinese: bool, *, short: bool = False) -> str:
    """A district's name from the profiles (``short``: without 'District'/区 where that leaves a name)."""
    from govcases.publish.style import label

    name = label(cb.profiles, district, chinese=chinese)
    if short and not chinese and name.endswith(" District"):
        return name.removesuffix(" District")
    return name


def wrap(text: str, chinese: bool, width: int = 56) -> str:
    """A long row label over several lines (Chinese characters are about twice as wide)."""
    import textwrap

    return textwrap.fill(text, width // 2 if chinese else width, break_long_words=chinese)


def left_out(cb: Casebook, present, chinese: bool, why_en: str, why_zh: str) -> str:
    """A note naming every district a figure leaves out, and why; empty when none is left out."""
    missing = [d for d in cb.districts if d not in set(present)]
    if not missing:
        return ""
    names = ", ".join(district_name(cb, d, chinese) for d in missing)
    return tr(f"Left out ({why_en}): {names}.", f"未画出（{why_zh}）：{names}。", chinese)


def note_below(fig, text: str) -> None:
    """Write a note under a figure, in the room the layout keeps for it (nothing when empty)."""
    if text:
        fig.supxlabel(text, fontsize=7.5, color="0.35", x=0.01, ha="left")


def indicator_label(cb: Casebook, indicator: str, chinese: bool) -> str:
    """The codebook's label of an indicator."""
    ind = cb.codebook.indicators[indicator]
    return str(ind.label_zh) if chinese else english_only(str(ind.label_en))


def english_only(text: str) -> str:
    """English words without the Chinese terms some labels give in brackets (``Managed population (实际管理人口)``)."""
    return re.sub(r"\s*[(（][^()（）]*[\u3400-\u9fff][^()（）]*[)）]", "", text).strip()


def category_label(category: str, chinese: bool) -> str:
    """A codebook category as a reader names it; an unknown category loses its underscores."""
    en, zh = CATEGORY_LABELS.get(category, (category.replace("_", " ").capitalize(), category.replace("_", " ")))
    return zh if chinese else en


def year_span(start, end) -> str:
    """The years of a resolved period: ``2014`` or ``2012–2014``."""
    import pandas as pd

    a, b = pd.Timestamp(start).year, pd.Timestamp(end).year
    return f"{a}" if a == b else f"{a}–{b}"


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    """Whether the text has Chinese characters (which an English figure's font cannot draw)."""
    return bool(_CJK.search(str(text)))


def subject_words(cb: Casebook, fact, chinese: bool) -> str:
    """What a fact counts, in words: its ``subject`` without an instrument prefix, in one language.

    Subjects are written ``中文 (English)``, in English alone, or as ``instrument: words``. The English
    variant keeps the English words (parenthesized Chinese is dropped); the Chinese variant keeps the
    Chinese words, else the codebook's Chinese label of the indicator.
    """
    import pandas as pd

    subject = fact["subject"]
    if pd.isna(subject) or not str(subject).strip():
        return indicator_label(cb, fact["indicator"], chinese)
    text = str(subject)
    head, sep, rest = text.partition(":")
    if sep and re.fullmatch(r"[a-z_]+", head.strip()):
        text = rest.strip()
    paren = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\s*", text)
    if paren and has_cjk(paren.group(1)) and not has_cjk(paren.group(2)):
        return paren.group(1).strip() if chinese else paren.group(2).strip()
    if chinese:
        # a Chinese figure shows no English words: an English subject gives way to the codebook's label
        return (
            text
            if has_cjk(text) and not re.search(r"[A-Za-z]{3,}", text)
            else indicator_label(cb, fact["indicator"], True)
        )
    text = english_only(text)
    return text if text and not has_cjk(text) else indicator_label(cb, fact["indicator"], False)
