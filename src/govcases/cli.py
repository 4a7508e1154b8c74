"""The ``govcases`` command line."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

__all__ = ["main"]

_DEFAULT_CASEBOOK = "(default: $GOVCASES_CASEBOOK, else the casebook that comes with govcases)"


def _validate(args) -> int:
    from govcases.records.casebook import load_casebook
    from govcases.records.criticism import load_source_criticism
    from govcases.records.errors import CasebookError

    try:
        cb = load_casebook(args.path)
        criticism = load_source_criticism(cb)
    except CasebookError as err:
        print(err, file=sys.stderr)
        print(f"{len(err.problems)} problem(s): the casebook is not valid.", file=sys.stderr)
        return 1
    n_sources = cb.facts["source"].nunique()
    print(
        f"ok: {len(cb.districts)} district(s), {len(cb.facts)} facts, {n_sources} source(s); "
        "every quote found in its source"
    )
    _warn_unread(cb)
    missing = criticism.loc[~criticism["assessed"], "source_id"].tolist()
    if missing:
        # not an error (a new source may wait for its assessment), but never silent
        print(f"note: no source criticism yet for {', '.join(missing)} (casebook/source-criticism.yaml)")
    return 0


def _warn_unread(cb) -> None:
    """Warn, without failing, about facts whose indicator no analysis reads."""
    from govcases.analysis.reads import unread_indicators

    unread = unread_indicators(cb)
    for _, r in unread.iterrows():
        print(
            f"warning: indicator {r['indicator']!r} ({r['label_en']}) is read by no analysis; "
            f"{r['n_facts']} fact(s) in {r['districts']}",
            file=sys.stderr,
        )
    if len(unread):
        print(
            f"{len(unread)} indicator(s) used by the records are read by no analysis: their facts are "
            "validated, exported and listed, but no comparison uses them. To have an analysis read one, "
            "see 'Extending the codebook' in casebook/README.md (govcases.analysis.reads.READS).",
            file=sys.stderr,
        )


def _export(args) -> int:
    from govcases.records.casebook import load_casebook
    from govcases.records.errors import CasebookError
    from govcases.records.export import export
    from govcases.records.paths import ShippedDataError, is_shipped, project_paths

    try:
        cb = load_casebook(args.casebook)
    except CasebookError as err:
        print(err, file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else project_paths(args.casebook)[1] / "processed"
    if not args.check and not args.out and is_shipped(out):
        # the tables the installed package carries are read (--check compares with them), never rewritten
        print(
            f"the casebook is the copy installed with govcases ({cb.root}), which is never written to; "
            "name a folder for the tables: govcases export --out FOLDER",
            file=sys.stderr,
        )
        return 2
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = export(cb, tmp)
            stale = [
                p.name for p in fresh if not (out / p.name).is_file() or (out / p.name).read_bytes() != p.read_bytes()
            ]
        if stale:
            print(f"out of date in {out}: {', '.join(stale)}; run `govcases export`", file=sys.stderr)
            return 1
        print(f"ok: {out} is up to date")
        return 0
    if out.exists() and not out.is_dir():
        print(f"{out} is a file, not a folder; the tables are not written over it (name a folder)", file=sys.stderr)
        return 2
    try:
        written = export(cb, out)
    except ShippedDataError as err:
        print(err, file=sys.stderr)
        return 2
    except OSError as err:
        why = err.strerror or err
        print(f"{out}: cannot write the tables ({why}); name a folder you can write to", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} files to {out}")
    return 0


def _build(args) -> int:
    from govcases.publish.build import build
    from govcases.records.errors import CasebookError
    from govcases.records.paths import ShippedDataError

    if args.out and Path(args.out).exists() and not Path(args.out).is_dir():
        print(f"{args.out} is a file, not a folder; the build is not written over it (name a folder)", file=sys.stderr)
        return 2
    try:
        files = build(args.out, jobs=args.jobs, notebooks=not args.no_notebooks, figures=not args.no_figures)
    except CasebookError as err:
        print(err, file=sys.stderr)
        return 1
    except ShippedDataError as err:
        print(err, file=sys.stderr)
        return 2
    except OSError as err:
        print(f"{err.filename or args.out}: cannot write the build ({err.strerror or err})", file=sys.stderr)
        return 2
    print(f"wrote {len(files)} files")
    return 0


def _casebook(args) -> int:
    from govcases.publish.casebook_html import write_casebook
    from govcases.records.casebook import load_casebook
    from govcases.records.errors import CasebookError
    from govcases.records.paths import ShippedDataError, check_output

    if Path(args.out).is_dir():
        example = Path(args.out) / "casebook.html"
        print(f"{args.out} is a folder; name the HTML file to write (such as {example})", file=sys.stderr)
        return 2
    try:
        cb = load_casebook(args.casebook)
        path = write_casebook(cb, check_output(args.out, "the seminar casebook"))
    except CasebookError as err:
        print(err, file=sys.stderr)
        return 1
    except ShippedDataError as err:
        print(err, file=sys.stderr)
        return 2
    except OSError as err:
        print(f"{err.filename or args.out}: cannot write the casebook ({err.strerror or err})", file=sys.stderr)
        return 2
    print(f"wrote {path} ({path.stat().st_size:,} bytes): {len(cb.districts)} districts, {len(cb.facts)} facts")
    return 0


def _clean(args) -> int:
    from govcases.records.paths import project_paths
    from govcases.records.sources import SourceError, clean_text, load_manifest, read_raw

    try:
        manifest = load_manifest(project_paths(args.casebook)[1])
        if args.source not in manifest:
            print(f"unknown source {args.source!r}; known: {', '.join(sorted(manifest))}", file=sys.stderr)
            return 2
        text = clean_text(read_raw(manifest[args.source]))
    except SourceError as err:
        print(err, file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


def _extract(args) -> int:
    from govcases.records.codebook import load_codebook
    from govcases.records.errors import CasebookError
    from govcases.records.extract import find_quantities, format_draft, skipped_numbers, summary_line
    from govcases.records.paths import project_paths
    from govcases.records.sources import clean_text

    path = Path(args.source)
    try:
        raw = path.read_bytes().decode("utf-8")
    except OSError as err:
        print(f"{path}: cannot read the source ({err.strerror})", file=sys.stderr)
        return 2
    except UnicodeDecodeError as err:
        print(f"{path}: not valid UTF-8 (byte {err.start}); convert the source to UTF-8 first", file=sys.stderr)
        return 2
    district = args.district or path.stem.lower()
    source_id = args.source_id or f"{district}-source"
    try:
        codebook = load_codebook(project_paths(args.casebook)[0] / "codebook.yaml")
    except CasebookError as err:
        print(err, file=sys.stderr)
        return 1
    clean = clean_text(raw)
    candidates = find_quantities(clean, codebook=codebook)
    try:
        text = format_draft(candidates, district=district, source_id=source_id, codebook=codebook)
    except ValueError as err:
        hint = "" if args.district else "; name the district with --district"
        print(f"{path}: {err}{hint}", file=sys.stderr)
        return 2
    if args.out:
        try:
            # never over a record someone may already have filled in
            with open(args.out, "x", encoding="utf-8") as f:
                f.write(text)
        except FileExistsError:
            print(
                f"{args.out} exists; the draft is not written over it (move it away or pick another name)",
                file=sys.stderr,
            )
            return 2
        except OSError as err:
            print(
                f"{args.out}: cannot write the draft ({err.strerror or err}); create its folder first or pick another",
                file=sys.stderr,
            )
            return 2
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    print(summary_line(candidates, skipped_numbers(clean, candidates)), file=sys.stderr)
    return 0


def _qualifiers(args) -> int:
    from govcases.records.quantity import qualifier_table

    for row in qualifier_table():
        print(
            f"{row['qualifier']:<10} {row['markers']:<8} {row['example']:<12} {row['example_interval']}  {row['rule']}"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    from govcases import __version__

    parser = argparse.ArgumentParser(prog="govcases", description=__doc__.strip())
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check every record against the codebook and its sources")
    p.add_argument("path", nargs="?", default=None, help="casebook folder or one record file " + _DEFAULT_CASEBOOK)
    p.set_defaults(func=_validate)

    p = sub.add_parser("export", help="write data/processed (CSV, Stata .dta, Parquet) and datapackage.json")
    p.add_argument("--casebook", default=None, help="casebook folder " + _DEFAULT_CASEBOOK)
    p.add_argument(
        "--out",
        default=None,
        help="output folder (default: data/processed beside the casebook; required for the casebook installed "
        "with the package)",
    )
    p.add_argument("--check", action="store_true", help="only check that the output folder is up to date")
    p.set_defaults(func=_export)

    p = sub.add_parser("build", help="build data/processed and the appendix (figures, tables, HTML report) in build/")
    p.add_argument(
        "--out",
        default=None,
        help="output folder (default: build/ beside the casebook; for the casebook installed with the package, "
        "build/ in the current folder)",
    )
    p.add_argument("--jobs", type=int, default=None, help="notebooks executed at once (default: one per core)")
    p.add_argument("--no-notebooks", action="store_true", help="skip executing and rendering the notebooks")
    p.add_argument("--no-figures", action="store_true", help="skip drawing the appendix figures")
    p.set_defaults(func=_build)

    p = sub.add_parser("casebook", help="write the casebook as one self-contained HTML document for seminars")
    p.add_argument("--out", default="build/casebook.html", help="HTML file to write (default: build/casebook.html)")
    p.add_argument("--casebook", default=None, help="casebook folder " + _DEFAULT_CASEBOOK)
    p.set_defaults(func=_casebook)

    p = sub.add_parser("clean", help="print the clean text of a source, as quotes are checked against it")
    p.add_argument("source", help="source id, e.g. zhenhai-2015-report")
    p.add_argument("--casebook", default=None, help="casebook folder " + _DEFAULT_CASEBOOK)
    p.set_defaults(func=_clean)

    p = sub.add_parser("extract", help="list every figure in a source as a draft record to fill in")
    p.add_argument("source", help="source text file, e.g. data/raw/NEW.txt")
    p.add_argument("--district", default=None, help="district slug (default: the file name, lower-cased)")
    p.add_argument("--source-id", default=None, help="source id in data/raw/manifest.csv (default: DISTRICT-source)")
    p.add_argument("-o", "--out", default=None, help="write the draft here (default: standard output)")
    p.add_argument(
        "--casebook",
        default=None,
        help="casebook folder whose codebook gives the measure words " + _DEFAULT_CASEBOOK,
    )
    p.set_defaults(func=_extract)

    p = sub.add_parser("qualifiers", help="print how each qualifier (近, 余, 多, 约, 以上, ...) maps to an interval")
    p.set_defaults(func=_qualifiers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``govcases`` command line: parse the arguments and run the subcommand they name.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name, such as ``["export", "--check"]``; default the
        process's own (``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 when the subcommand succeeded, 1 when the casebook is not valid or an
        output is out of date, 2 when the request cannot be carried out as asked (an unknown
        source, an unreadable file, an output inside the installed package). ``--help``,
        ``--version`` and unusable arguments exit through :class:`SystemExit` instead, as
        :mod:`argparse` does.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()) as printed:
    ...     status = main(["qualifiers"])
    >>> status, "近" in printed.getvalue()
    (0, True)
    """
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
