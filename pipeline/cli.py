"""Command line: ``python -m pipeline run | status | sql``.

``run`` calls the same stage functions as the Airflow DAG (see :mod:`pipeline.run`); ``sql`` opens
the warehouse read-only, so it is safe to use while a run is loading.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from pipeline.config import Settings, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings().with_dirs(getattr(args, "seeds", None), getattr(args, "warehouse", None))


def _print_failed_runs(failures: list[dict]) -> None:
    print(f"runs that failed and have not loaded since: {len(failures)}")
    for failure in failures[:20]:
        print(f"  {failure['run_id']} ({failure.get('stage')}, {failure.get('failed_at')}): {failure.get('reason')}")


def _print_counts(counts: dict[str, int]) -> None:
    for table, n in counts.items():
        print(f"  {table:<20} {n:>8,}")


def cmd_run(args: argparse.Namespace) -> int:
    from pipeline.errors import ValidationFailed
    from pipeline.run import run_pipeline

    settings = _settings(args)
    try:
        summary = run_pipeline(settings)
    except ValidationFailed as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"run {summary['run_id']}: {summary['n_files']} paths under {settings.seeds_dir}, {summary['n_new']} new or changed")
    if summary["n_claimed"]:
        print(f"{summary['n_claimed']} new files are being processed by an Airflow run and were left to it")
    if summary["rebuilt"] and not summary["n_new"]:
        print(f"repaired what an earlier run left: {'; '.join(summary['rebuilt'])}")
    if not summary["n_new"]:
        print("no new files; the warehouse is unchanged")
        return 0
    print(f"  {'quarantined files':<20} {summary['quarantined']:>8,}")
    print(f"warehouse {settings.db_path}:")
    _print_counts(summary["tables"])
    print("seconds per stage: " + ", ".join(f"{k} {v:.1f}" for k, v in summary["timings"].items()))
    if summary.get("validation", {}).get("report"):
        print(f"validation report: {summary['validation']['report']}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from pipeline.discover import find_new_files
    from pipeline.query import reader_path
    from pipeline.store.db import connect_reader, table_counts
    from pipeline.store.failures import failed_runs
    from pipeline.store.lock import lock_holder

    settings = _settings(args)
    print(f"seeds:     {settings.seeds_dir}")
    print(f"warehouse: {settings.db_path}")
    if not settings.db_path.exists():
        print("no warehouse yet: run `make run` or `python -m pipeline run`")
        return 0
    holder = lock_holder(settings.warehouse_dir)
    if holder:
        from pipeline.store.lock import describe_holder

        print(f"busy: {describe_holder(holder)}")
    db = reader_path(settings)
    found, new = find_new_files(settings, db)
    with connect_reader(settings.db_path, settings.reader_db_path) as con:
        _print_counts(table_counts(con))
        last = con.execute("SELECT run_id, max(logged_at) FROM ingest_log GROUP BY run_id ORDER BY 2 DESC LIMIT 1").fetchone()
        quarantined = con.execute(
            "SELECT path, reason FROM ingest_log QUALIFY row_number() OVER (PARTITION BY path ORDER BY logged_at DESC) = 1 "
            "AND status = 'quarantined' ORDER BY path"
        ).fetchall()
        known = [r[0] for r in con.execute("SELECT DISTINCT path FROM ingest_log ORDER BY path").fetchall()]
        loaded_runs = {r[0] for r in con.execute("SELECT run_id FROM run_log").fetchall()}
    on_disk = {p.path for p in found}
    deleted = [p for p in known if p not in on_disk]
    print(f"readers' copy: {db}")
    if last:
        print(f"last load: run {last[0]} at {last[1]}")
    print(f"files waiting for the next run: {len(new)}")
    for entry in new[:50]:
        print(f"  {entry['path']}")
    _print_failed_runs(failed_runs(settings, loaded_runs))
    print(f"quarantined files (latest state): {len(quarantined)}")
    for path, reason in quarantined:
        print(f"  {path}: {reason}")
    print(f"files deleted from seeds/ since they were loaded (their rows are kept): {len(deleted)}")
    for path in deleted:
        print(f"  {path}")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from pipeline.query import RefusedQuery, csv_frames, open_for_analysts, run_query

    settings = _settings(args)
    try:
        with open_for_analysts(settings) as con:
            relations = run_query(con, args.query)
            if args.csv:
                for number, frame in enumerate(csv_frames(relations)):
                    if number:
                        print()
                    frame.to_csv(sys.stdout, index=False)
            else:
                for relation in relations:
                    if relation is not None:
                        relation.show(max_rows=args.max_rows, max_width=args.max_width)
    except (duckdb.Error, FileNotFoundError, RefusedQuery) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


TABLES_QUERY = "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1;"


def _statements(interactive: bool):
    """Complete statements typed at the prompt (ending with ``;``); ``.tables`` is one; ``.quit`` or end of input ends."""
    pending: list[str] = []
    while True:
        line = _read_line(interactive, "news> " if not pending else "  ...> ")
        if line is None:
            return
        command = line.strip()
        if not pending and command in {".quit", ".exit"}:
            return
        if not pending and command == ".tables":
            command = TABLES_QUERY
        if command:
            pending.append(command)
        if pending and pending[-1].endswith(";"):
            yield "\n".join(pending)
            pending = []


def _read_line(interactive: bool, prompt: str) -> str | None:
    """One line typed at the prompt or piped in; None at the end of input."""
    try:
        line = input(prompt) if interactive else sys.stdin.readline()
    except EOFError:
        return None
    return line if interactive or line else None


def cmd_shell(args: argparse.Namespace) -> int:
    """An interactive SQL prompt on the readers' copy, with the same read-only guard as ``sql``.

    Statements end with ``;`` and may span lines; ``.tables`` lists tables and views; ``.quit``
    or end of input (Ctrl-D) leaves. A refused or failing statement prints its error and the
    prompt goes on.
    """
    import duckdb

    from pipeline.query import RefusedQuery, open_for_analysts, run_query

    try:
        import readline  # noqa: F401 - line editing and history at the prompt
    except ImportError:
        pass
    settings = _settings(args)
    try:
        con = open_for_analysts(settings)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"read-only SQL on {settings.reader_db_path if settings.reader_db_path.exists() else settings.db_path}; "
          "end statements with ';', .tables lists tables and views, .quit leaves")
    with con:
        for statement in _statements(sys.stdin.isatty()):
            try:
                for relation in run_query(con, statement):
                    if relation is not None:
                        relation.show(max_rows=args.max_rows, max_width=args.max_width)
            except (duckdb.Error, RefusedQuery) as exc:
                print(f"error: {exc}")
    return 0


def _corpus_file(path: Path, fields: str) -> Path | None:
    """The JSON-lines corpus at ``path``: the file itself, or the one ``*.jsonl`` file of a folder
    (``stories_dev/`` holds ``articles.jsonl``). Prints what is wrong and returns None otherwise."""
    if path.is_file():
        return path
    found = sorted(path.glob("*.jsonl")) if path.is_dir() else []
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        print(f"error: {path} holds {len(found)} JSON-lines files ({names}); give the one to score", file=sys.stderr)
    else:
        print(f"error: no corpus at {path}; give a JSON-lines file with {fields} per line, "
              "or a folder holding one", file=sys.stderr)
    return None


def cmd_eval_duplicates(args: argparse.Namespace) -> int:
    from devtools.evaluate import evaluate_duplicates

    corpus = _corpus_file(args.corpus, "title and body")
    if corpus is None:
        return 1
    report = evaluate_duplicates(corpus, args.thresholds)
    print(
        f"{report['articles']} articles; true duplicate pairs {report['true_pairs']} "
        f"({report['exact_pairs']} identical text, {report['rewrite_pairs']} rewrites); signatures in {report['signing_seconds']}s"
    )
    print(f"{'threshold':>9} {'predicted':>9} {'precision':>9} {'recall':>7} {'rewrites':>8}")
    for r in report["results"]:
        print(f"{r['threshold']:>9.2f} {r['predicted_pairs']:>9} {r['precision']:>9.3f} {r['recall']:>7.3f} {r['recall_rewrites']:>8.3f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


def cmd_eval_quotes(args: argparse.Namespace) -> int:
    from devtools.evaluate import evaluate_quotes

    report = evaluate_quotes(args.folder, load_settings(), with_reference=not args.no_reference)
    print(f"{report['articles']} annotated articles in {report['folder']} (pipeline run: {report['pipeline_seconds']}s)")
    print(f"{'system':<28} {'quotes':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'speaker acc':>11}")
    for system in ("pipeline", "textacy_direct_quotations"):
        if system not in report:
            continue
        for subset in ("direct", "all_sourced"):
            r = report[system][subset]
            print(f"{system:<28} {subset:<12} {r['precision']:>9.3f} {r['recall']:>7.3f} {r['f1']:>6.3f} {r['speaker_accuracy']:>11.3f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


def cmd_eval_stories(args: argparse.Namespace) -> int:
    from devtools.stories_eval import evaluate_stories

    corpus = _corpus_file(args.corpus, "a story label (event) and text")
    if corpus is None:
        return 1
    report = evaluate_stories(corpus, args.batches, load_settings())
    print(f"{report['articles']} articles in {report['stories']} stories, fed in {report['batches']} batches "
          f"(pipeline: {report['pipeline_seconds']}s; {report['not_loaded']} not loaded)")
    print(f"{'system':<46} {'precision':>9} {'recall':>7} {'F1':>6} {'stories':>8}")
    rows = [("pipeline (batches, incremental)", report["pipeline"]),
            (f"TF-IDF average link, threshold {report['baseline_fixed']['threshold']}", report["baseline_fixed"]),
            (f"TF-IDF average link, best threshold {report['baseline_best']['threshold']}", report["baseline_best"])]
    for name, r in rows:
        print(f"{name:<46} {r['precision']:>9.3f} {r['recall']:>7.3f} {r['f1']:>6.3f} {r['clusters']:>8}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


def _run_eval(args: argparse.Namespace, evaluate, lines) -> int:
    """Run one evaluation, print its summary ``lines(report)``, write the report as JSON if asked."""
    try:
        report = evaluate(args.folder, load_settings())
    except ValueError as exc:  # unreadable evaluation data: the message names the file and line
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in lines(report):
        print(line)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return 0


def cmd_eval_timeline(args: argparse.Namespace) -> int:
    from devtools.timeline_eval import evaluate_timeline

    def lines(r: dict) -> list[str]:
        return [
            f"{r['documents']} TimeML documents in {r['folder']} ({r['loaded']} loaded; pipeline: {r['pipeline_seconds']}s)",
            f"span precision {r['span_precision']:.3f}  recall {r['span_recall']:.3f}  F1 {r['span_f1']:.3f}"
            f"  ({r['predicted_rows']} rows, {r['gold_dates']} gold DATE expressions)",
            f"value accuracy on matched DATE expressions {r['value_accuracy']:.3f}",
            f"wrong dates {r['wrong_dates']} of {r['dated_rows']} dated rows ({r['wrong_date_rate']:.1%};"
            f" {r['dated_rows_on_no_gold']} where the gold marks no time expression)",
            "dated rows by rule: " + ", ".join(f"{k} {v}" for k, v in sorted(r["resolved_from"].items())),
        ]

    return _run_eval(args, evaluate_timeline, lines)


def cmd_eval_entities(args: argparse.Namespace) -> int:
    from devtools.entities_eval import evaluate_entities

    def lines(r: dict) -> list[str]:
        return [
            f"{r['documents']} annotated documents in {r['folder']} ({r['loaded']} loaded; pipeline: {r['pipeline_seconds']}s)",
            f"named mentions: precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}"
            f"  ({r['predicted_mentions']} predicted, {r['gold_mentions']} gold)",
            f"one id per real entity: {r['one_id_share']:.3f} of {r['entities_with_two_or_more_mentions']} entities with two or more mentions",
            f"ids merging two real entities: {r['false_merge_share']:.3f} of {r['ids']} ids",
        ]

    return _run_eval(args, evaluate_entities, lines)


def cmd_eval_claims(args: argparse.Namespace) -> int:
    from devtools.claims_eval import evaluate_claims

    def lines(r: dict) -> list[str]:
        families = ", ".join(f"{f} {a:.3f} ({r['matched_by_family'][f]})" for f, a in r["unit_accuracy_by_family"].items())
        return [
            f"{r['sentences']} sentences from {r['path']} ({r['articles']} articles; pipeline: {r['pipeline_seconds']}s)",
            f"detection: precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}"
            f"  ({r['claims']} claims, {r['gold_quantities']} gold quantities)",
            f"value accuracy {r['value_accuracy']:.3f}  unit accuracy {r['unit_accuracy']:.3f}",
            f"unit accuracy by family (matched): {families}",
            f"CQE scoring: value F1 {r['value_f1']:.3f}  value+unit F1 {r['value_unit_f1']:.3f}",
            f"years or dates stored as claims: {r['years_or_dates_as_claims']}",
        ]

    return _run_eval(args, evaluate_claims, lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log every stage at INFO level")
    sub = parser.add_subparsers(dest="command", required=True)

    def dirs(p: argparse.ArgumentParser) -> None:
        p.add_argument("--seeds", type=Path, help="drop-zone folder (default: $PIPELINE_SEEDS_DIR or seeds/)")
        p.add_argument("--warehouse", type=Path, help="warehouse folder (default: $PIPELINE_WAREHOUSE_DIR or warehouse/)")

    run = sub.add_parser("run", help="process new files under seeds/ into the warehouse")
    dirs(run)
    run.set_defaults(func=cmd_run)
    status = sub.add_parser("status", help="table counts, waiting, quarantined and deleted files")
    dirs(status)
    status.set_defaults(func=cmd_status)
    sql = sub.add_parser("sql", help="run read-only SQL against the readers' copy of the warehouse (several statements: every result)")
    sql.add_argument("query")
    sql.add_argument("--warehouse", type=Path, help="warehouse folder")
    sql.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    sql.add_argument("--max-rows", type=int, default=40)
    sql.add_argument("--max-width", type=int, default=200)
    sql.set_defaults(func=cmd_sql)
    shell = sub.add_parser("shell", help="interactive read-only SQL prompt on the readers' copy (statements end with ';')")
    shell.add_argument("--warehouse", type=Path, help="warehouse folder")
    shell.add_argument("--max-rows", type=int, default=40)
    shell.add_argument("--max-width", type=int, default=200)
    shell.set_defaults(func=cmd_shell)
    dups = sub.add_parser("eval-duplicates", help="precision/recall of duplicate detection on a JSON-lines corpus")
    dups.add_argument("corpus", type=Path, help="JSON-lines file, one article per line with title and body (or a folder holding one)")
    dups.add_argument("--thresholds", type=float, nargs="+", default=[0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    dups.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    dups.set_defaults(func=cmd_eval_duplicates)
    quotes = sub.add_parser("eval-quotes", help="score the quotes table against brat attribution annotations")
    quotes.add_argument("folder", type=Path, help="folder with text/*.txt and attributions/*.ann (brat standoff)")
    quotes.add_argument("--no-reference", action="store_true", help="skip textacy's direct_quotations as the reference")
    quotes.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    quotes.set_defaults(func=cmd_eval_quotes)
    stories = sub.add_parser("eval-stories", help="B-cubed scores of story grouping on a labelled corpus fed in batches")
    stories.add_argument("corpus", type=Path, help="JSON-lines file (or a folder holding one): title, text, outlet, date_publish and the story label (event)")
    stories.add_argument("--batches", type=int, default=4, help="runs to feed the corpus in, in date order")
    stories.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    stories.set_defaults(func=cmd_eval_stories)
    timeline = sub.add_parser("eval-timeline", help="score the timeline table against TimeML documents (span, value, wrong dates)")
    timeline.add_argument("folder", type=Path, help="a folder of .tml files (sub-folders included)")
    timeline.add_argument("--json", type=Path, help="also write the full report here")
    timeline.set_defaults(func=cmd_eval_timeline)
    entities = sub.add_parser("eval-entities", help="score entity mentions and ids against coreference-annotated documents")
    entities.add_argument("folder", type=Path, help="a folder holding docs.jsonl (or the file itself)")
    entities.add_argument("--json", type=Path, help="also write the full report here")
    entities.set_defaults(func=cmd_eval_entities)
    claims = sub.add_parser("eval-claims", help="score the claims table against sentences annotated with their quantities")
    claims.add_argument("folder", type=Path, metavar="FILE", help="a JSON file in CQE's format (or a folder of them)")
    claims.add_argument("--json", type=Path, help="also write the full report here")
    claims.set_defaults(func=cmd_eval_claims)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose or args.command == "run" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("great_expectations", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return args.func(args)
    except (FileNotFoundError, RuntimeError) as exc:  # PipelineError is a RuntimeError
        print(f"error: {exc}", file=sys.stderr)
        return 1
