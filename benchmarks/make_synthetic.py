"""Generate a synthetic casebook of many districts, to measure how the library scales.

The project layout is copied (codebook, data folder structure); each synthetic district gets
one source document of generated Chinese sentences and a record whose facts quote them. The
figures are random and mean nothing: this data exists only to be timed. Seeded, so every run
writes the same files.

Usage: python benchmarks/make_synthetic.py OUT_DIR [--districts 3000] [--facts 60]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (indicator, subject, template of the sentence, measure word template, basis)
TEMPLATES = [
    ("orgs_registered", None, "全区登记注册的社会组织共{v}", "{n}家", "stock"),
    ("orgs_registered_and_filed", None, "全区社会组织登记备案数达{v}", "{n}家", "stock"),
    ("orgs_social_groups", None, "其中社会团体{v}", "{n}家", "stock"),
    ("orgs_private_non_enterprise", None, "民办非企业单位{v}", "{n}家", "stock"),
    ("orgs_community_level", "community organizations", "城乡社区社会组织{v}", "{n}余家", "stock"),
    ("growth_rate_annual_avg", "all organizations", "年均增长{v}", "{n}%", "rate"),
    # 'mixed' sums: a sum whose subject names one instrument must name that instrument's fact
    ("funding_amount", "mixed: annual special fund", "每年拿出{v}专项扶持社区社会组织项目", "{n}万元", "annual"),
    ("funding_amount", "mixed: cumulative", "累计投入各类扶持资金{v}", "近{n}万", "cumulative"),
    ("incubator_area", "district incubator", "孵化园占地面积{v}", "约{n}平方米", "stock"),
    ("volunteers_count", "registered volunteers", "发展志愿者{v}", "{n}多人", "stock"),
    ("service_volume", "services delivered", "累计提供义务服务{v}", "{n}余次", "cumulative"),
    ("purchase_count", "purchased projects", "累计购买服务项目{v}", "{n}个", "cumulative"),
]

FILLER = "该区坚持把社会组织培育和管理创新列为社会管理创新的重要内容,形成了新型社会组织工作体系。"


def district_files(i: int, n_facts: int, rng: random.Random) -> tuple[str, str, str]:
    slug = f"d{i:05d}"
    source_id = f"{slug}-report"
    sentences, facts = [], []
    for j in range(n_facts):
        indicator, subject, sentence, value_t, basis = TEMPLATES[j % len(TEMPLATES)]
        n = rng.randint(11, 9999)
        value = value_t.format(n=n)
        quote = f"第{j + 1}项," + sentence.format(v=value)
        sentences.append(quote + "。" + (FILLER if j % 3 == 0 else ""))
        subject_line = f'    subject: "{subject}"\n' if subject else ""
        # a purchase count says what it counts (the codebook's count_kinds)
        counts_line = "    counts: purchased_projects\n" if indicator == "purchase_count" else ""
        facts.append(
            f"  - id: {slug}-fact-{j:03d}\n"
            f"    indicator: {indicator}\n{subject_line}"
            f'    value: "{value}"\n'
            f"    basis: {basis}\n"
            f"    source: {source_id}\n"
            f"    quote: {quote}\n"
            f"    english: Synthetic fact {j} of district {slug}; the figure is random.\n"
            f"    period:\n"
            f"      text: 截至去年底\n"
            f"      start: 2013-12-31\n"
            f"      end: 2014-12-31\n"
            f"      reasoning: Synthetic; the interval is arbitrary.\n"
            f"    confidence: stated\n{counts_line}"
        )
    text = (
        f"{slug}区社会组织发展报告\n"
        + "\n".join("".join(sentences[k : k + 5]) for k in range(0, len(sentences), 5))
        + "\n"
    )
    record = (
        f"district: {slug}\n"
        "profile:\n"
        f"  name_zh: 第{i}区\n  name_en: District {i}\n  city_zh: 某市\n  city_en: Somecity\n"
        "  province_zh: 某省\n  province_en: Someprovince\n  area_kind: urban_district\n"
        f"  sources: [{source_id}]\n  summary: A synthetic district for benchmarks.\n"
        "facts:\n" + "".join(facts)
    )
    return slug, text, record


def generate(out: Path, districts: int, facts: int, seed: int = 20261123) -> Path:
    """Write a synthetic project into ``out`` and return its casebook folder."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "casebook").mkdir(parents=True)
    (out / "data" / "raw").mkdir(parents=True)
    shutil.copy(ROOT / "casebook" / "codebook.yaml", out / "casebook" / "codebook.yaml")
    manifest = ["source_id,file,district,title,kind,publisher,page_date,url,sha256"]
    for i in range(districts):
        slug, text, record = district_files(i, facts, rng)
        data = text.encode("utf-8")
        name = f"{slug}.txt"
        (out / "data" / "raw" / name).write_bytes(data)
        (out / "casebook" / f"{slug}.yaml").write_text(record, encoding="utf-8")
        digest = hashlib.sha256(data).hexdigest()
        manifest.append(
            f"{slug}-report,raw/{name},{slug},{slug}区社会组织发展报告,district-report,,2015-01-01,,{digest}"
        )
    (out / "data" / "raw" / "manifest.csv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return out / "casebook"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--districts", type=int, default=3000)
    parser.add_argument("--facts", type=int, default=60)
    args = parser.parse_args()
    folder = generate(args.out, args.districts, args.facts)
    print(f"wrote {args.districts} districts x {args.facts} facts to {folder}")


if __name__ == "__main__":
    main()
