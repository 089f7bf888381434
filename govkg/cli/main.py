"""The `govkg` command line (its contract: docs/contracts.md)."""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from govkg import __version__
from govkg.cli.output import FORMATS, marked, render, to_json
from govkg.errors import GovkgError, QueryError
from govkg.graph.corrections import Correction, Outcome
from govkg.graph.factory import ENGINES, StoreSettings, open_store
from govkg.graph.model import NODE_LABELS, GraphDocument
from govkg.graph.store import GraphStore, WriteSummary
from govkg.resources import APP_FILE, BUNDLED_CASES_DIR, BUNDLED_CORPUS_DIR
from govkg.services.loading import BATCH_FILES, FIRST_BATCH_FACTOR

if TYPE_CHECKING:
    from govkg.loaders.evaluation import Evaluation

F = TypeVar("F", bound=Callable[..., Any])


class GovkgGroup(click.Group):
    """Turns every expected failure (GovkgError) into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GovkgError as err:
            click.echo(f"govkg: error: {err}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("govkg: interrupted", err=True)
            sys.exit(130)


def store_options(func: F) -> F:
    """The store selection every store-touching command shares (docs/contracts.md)."""
    options = [
        click.option(
            "--store",
            "engine",
            type=click.Choice(ENGINES),
            envvar="GOVKG_STORE",
            default="embedded",
            show_default=True,
            help="Which engine holds the graph.",
        ),
        click.option(
            "--db",
            "db_path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Embedded database file (default: $GOVKG_DB, else a per-user data folder).",
        ),
        click.option("--neo4j-uri", envvar="NEO4J_URI", default="bolt://127.0.0.1:7687", show_default=True,
                     help="bolt://, neo4j:// or neo4j+s:// URI [env NEO4J_URI]."),
        click.option("--neo4j-user", envvar="NEO4J_USER", default="neo4j", show_default=True,
                     help="[env NEO4J_USER]"),
        click.option("--neo4j-password", envvar="NEO4J_PASSWORD", default="", help="[env NEO4J_PASSWORD]"),
        click.option("--neo4j-database", envvar="NEO4J_DATABASE", default="neo4j", show_default=True,
                     help="[env NEO4J_DATABASE]"),
    ]

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        engine: str,
        db_path: Path | None,
        neo4j_uri: str,
        neo4j_user: str,
        neo4j_password: str,
        neo4j_database: str,
        **kwargs: Any,
    ) -> Any:
        settings = StoreSettings.from_env(engine, db_path)
        settings.neo4j_uri = neo4j_uri
        settings.neo4j_user = neo4j_user
        settings.neo4j_password = neo4j_password
        settings.neo4j_database = neo4j_database
        return func(*args, settings=settings, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def format_option(func: F) -> F:
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
    )(func)


@click.group(cls=GovkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govkg")
def main() -> None:
    """govkg: a knowledge graph of community-governance practices in China.

    Load case descriptions (text, Markdown, YAML/JSON case sheets, CSV), browse the graph,
    run saved Cypher queries and find zones with similar mechanisms.
    """


corrections_option = click.option(
    "--corrections", type=click.Path(path_type=Path), default=None,
    help="A corrections file (JSON, as govkg writes it) to apply to what is read before it is used.",
)


@main.command(short_help="Print the graph extracted from files; writes nothing.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json", show_default=True,
              help="json: the graph document (docs/contracts.md); yaml: a case sheet to correct and load back.")
@corrections_option
def extract(files: tuple[Path, ...], fmt: str, corrections: Path | None) -> None:
    """Print the graph extracted from FILES (files or folders); writes nothing."""
    from govkg.graph.corrections import apply_corrections
    from govkg.loaders.extract import extract_paths

    wanted = _read_corrections(corrections)  # a bad corrections file stops before the extraction's work
    graph = extract_paths(files)
    if wanted:
        outcome = apply_corrections(graph, wanted)
        _report_corrections(outcome)
        graph = outcome.graph
    if fmt == "yaml":
        from govkg.loaders.sheet_export import case_sheet_to_yaml

        sheet = case_sheet_to_yaml(graph)  # refuses a text without a zone: that message is enough
        _warn_about(graph)
        click.echo(sheet, nl=False)
        return
    _warn_about(graph)
    click.echo(to_json(graph.to_dict()))


def _read_corrections(path: Path | None) -> list[Correction]:
    from govkg.graph.corrections import read_corrections_file

    return read_corrections_file(path) if path is not None else []


def _report_corrections(outcome: Outcome) -> None:
    """What a corrections file did, on stderr; a correction that found its fact gone by name."""
    click.echo(f"govkg: corrections: {len(outcome.applied)} applied, {len(outcome.missing)} found nothing to "
               f"correct, {len(outcome.elsewhere)} for other documents", err=True)  # fmt: skip
    for c in outcome.missing:
        _warn(f"correction {c.id} ({c.action} {c.target}, by {c.author}) found nothing to correct: "
              "the fact is no longer in what was read")  # fmt: skip
    for edge in outcome.dropped:
        _warn(f"a re-typing dropped ({edge.source})-[:{edge.type}]->({edge.target}), which the new kind cannot have")


def _warn(warning: str) -> None:
    """A file that loaded but gave nothing (a text that names no zone), on stderr."""
    click.echo(f"govkg: warning: {warning}", err=True)


def _warn_about(graph: GraphDocument) -> None:
    from govkg.loaders.extract import extraction_warnings

    for warning in extraction_warnings(graph):
        _warn(warning)


def _summary_lines(summary: WriteSummary, settings: StoreSettings) -> list[str]:
    lines = [
        f"loaded {summary.documents} document(s) into {settings.describe()}",
        f"nodes: {summary.nodes_created} new, {summary.nodes_matched} already present",
        f"relationships: {summary.edges_created} new, {summary.edges_matched} already present",
    ]
    if summary.documents_replaced:
        lines.append(
            f"replaced {len(summary.documents_replaced)} document(s) by a curated sheet "
            f"({', '.join(summary.documents_replaced)}): {summary.edges_retracted} relationship(s) and "
            f"{summary.nodes_retracted} node(s) that only they supported were removed"
        )
    if summary.corrections_recorded:
        lines.append(f"kept {summary.corrections_recorded} new correction(s): every later load applies them")
    if summary.documents_skipped:
        lines.append(
            f"skipped {len(summary.documents_skipped)} document(s) already replaced by a curated sheet "
            f"({', '.join(summary.documents_skipped)}); load the curated sheet's corrections instead"
        )
    lines.append(
        "store now holds: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.counts_after.items()) if v)
    )
    return lines


@main.command("eval", short_help="Score the extractor against gold files, or a store's corrections.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--corrected", is_flag=True,
              help="Score against the store's corrected text documents instead of gold files.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--details/--no-details", default=True, show_default=True,
              help="Per document, what was missed and what was wrong (table format).")
@store_options
def eval_command(paths: tuple[Path, ...], corrected: bool, fmt: str, details: bool, settings: StoreSettings) -> None:
    """Score the extractor on PATHS: folders of NAME.txt + NAME.gold.json, gold files, or texts with
    their gold beside them (format: docs/evaluation.md). With --corrected, score it against the text
    documents of the store that researchers corrected (the corrected reading is the gold). Writes nothing."""
    from govkg.loaders.evaluation import evaluate_paths

    if corrected == bool(paths):
        raise GovkgError("give gold PATHS, or --corrected to score against the store's corrections, not both")
    if not corrected:
        _print_evaluation(evaluate_paths(paths), fmt, details)
        return
    from govkg.services.store_evaluation import evaluate_store

    with _open_for_reading(settings) as store:
        scored = evaluate_store(store)
    if fmt == "json":
        click.echo(to_json(scored.to_dict()))
        return
    skipped = (f"{len(scored.skipped)} corrected document(s) skipped (the store keeps no text for them: "
               "case sheets, CSV)")  # fmt: skip
    if not scored.evaluation.documents:
        # Not an error: nothing to score yet is a state of the store, so the exit status stays 0.
        click.echo(f"no corrected text document to score ({scored.corrections} correction(s) kept; {skipped}); "
                   "correct what the extractor read with `govkg correct`, `govkg corrections import FILE`, "
                   "or the app's Load page, then run this again")  # fmt: skip
        return
    _print_evaluation(scored.evaluation, fmt, details,
                      against=f"{scored.corrections} kept correction(s); {skipped}")  # fmt: skip
    if scored.skipped:
        click.echo("skipped: " + ", ".join(scored.skipped))
    if scored.unmatched:
        click.echo(f"{len(scored.unmatched)} correction(s) found nothing to correct in the extractor's new reading "
                   "(not gold):")  # fmt: skip
        for u in scored.unmatched:
            click.echo(f"  {u.correction} {u.action} {u.target} ({u.document})")


def _print_evaluation(result: Evaluation, fmt: str, details: bool, against: str = "") -> None:
    from govkg.loaders.evaluation import CATEGORIES

    if fmt == "json":
        click.echo(to_json(result.to_dict()))
        return
    totals = result.totals

    def share(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    rows = [
        [name, share(totals[name].precision), share(totals[name].recall),
         f"{totals[name].found}/{totals[name].gold}", f"{totals[name].correct}/{totals[name].predicted}"]
        for name in CATEGORIES
    ]
    click.echo(f"{len(result.documents)} document(s) scored (micro-averaged)" + (f" against {against}" if against
               else "") + ":")  # fmt: skip
    click.echo(render(["category", "precision", "recall", "found/gold", "correct/predicted"], rows, "table"), nl=False)
    forbidden = sum(len(d.forbidden) for d in result.documents)
    click.echo(f"not_entities extracted: {forbidden}")
    if not details:
        return
    for document in result.documents:
        lines = [f"  {name} missed: {'; '.join(s.missed)}" for name, s in document.scores.items() if s.missed]
        lines += [f"  {name} wrong: {'; '.join(s.wrong)}" for name, s in document.scores.items() if s.wrong]
        if lines:
            click.echo(f"\n{document.document}")
            click.echo("\n".join(lines))


@main.command(short_help="Extract files or folders and write them to the store.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--similar-top", type=click.IntRange(min=0), default=10, show_default=True,
              help="After loading, store each zone's N most similar zones as SIMILAR_TO (0: leave them as they are).")
@click.option("--progress/--no-progress", "show_progress", default=None,
              help="Say on stderr how the load goes (files read, time left, stages); default: on a terminal.")
@click.option("--batch-files", type=click.IntRange(min=1), default=None,
              help=f"On the embedded store, read and write this many files at a time ({BATCH_FILES:,} unless "
                   "given): memory grows with it, and the load still lands whole or not at all. Into an empty "
                   f"store the first batch holds {FIRST_BATCH_FACTOR} times as many when given, and otherwise "
                   "as many as the free memory holds (at least that many): each later batch's write costs "
                   "more, the more the store holds.")
@corrections_option
@store_options
def load(paths: tuple[Path, ...], similar_top: int, show_progress: bool | None, batch_files: int | None,
         corrections: Path | None, settings: StoreSettings) -> None:  # fmt: skip
    """Extract PATHS (files or folders) and write them to the store, idempotently.

    The whole load lands at once: a bad file or a failed write leaves the store as it was. On the
    embedded store a load of many files is read and written --batch-files at a time, inside one staging
    copy that replaces the database only when every batch is written; on Neo4j it is one transaction.
    """
    from govkg.cli.progress import LoadProgress
    from govkg.services.loading import load_paths

    stream = sys.stderr
    live = stream.isatty()
    progress = LoadProgress(stream, live=live) if (live if show_progress is None else show_progress) else None
    try:
        summary = load_paths(settings, list(paths), similarity_top=similar_top, warn=_warn,
                             corrections=_read_corrections(corrections), corrected=_report_corrections,
                             progress=progress, batch_files=batch_files)  # fmt: skip
    finally:
        if progress is not None:
            progress.close()
    click.echo("\n".join(_summary_lines(summary, settings)))


@main.group(invoke_without_command=True, short_help="The researchers' corrections the store keeps.")
@format_option
@click.option("--all", "show_undone", is_flag=True, help="List undone corrections too.")
@store_options
@click.pass_context
def corrections(ctx: click.Context, fmt: str, show_undone: bool, settings: StoreSettings) -> None:
    """List the corrections the store keeps, oldest first (docs/corrections.md). Every load applies
    them to what it reads, so a re-load never brings back what a researcher rejected."""
    if ctx.invoked_subcommand is not None:
        return
    with _open_for_reading(settings) as store:
        kept = [state for state in store.correction_states() if show_undone or not state[1]]
    if fmt == "json":
        click.echo(to_json([c.to_dict() | {"undone_at": undone or None, "in_place": in_place}
                            for c, undone, in_place in kept]))  # fmt: skip
        return
    rows = [[c.id, c.action, str(c.target), json.dumps(c.value, ensure_ascii=False) if c.value else "", c.author,
             c.made_at, c.reason, "in the store" if in_place else "pending", undone]
            for c, undone, in_place in kept]  # fmt: skip
    columns = ["id", "action", "target", "value", "author", "made_at", "reason", "applied", "undone_at"]
    click.echo(render(columns, rows, fmt), nl=False)


@corrections.command("export", short_help="Write the kept corrections to a file a team shares.")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@store_options
def corrections_export(file: Path, settings: StoreSettings) -> None:
    """Write the corrections the store keeps to FILE (JSON), to share or to move to another store."""
    from govkg.graph.corrections import write_corrections_file

    with _open_for_reading(settings) as store:
        kept = store.corrections()
    write_corrections_file(file, kept)
    click.echo(f"wrote {len(kept)} correction(s) to {file}")


@corrections.command("import", short_help="Take in the corrections of a shared file.")
@click.argument("file", type=click.Path(path_type=Path))
@store_options
def corrections_import(file: Path, settings: StoreSettings) -> None:
    """Take in the corrections of FILE (as `govkg corrections export` writes it), in one transaction:
    each whose documents the store holds is applied to the stored facts now; the others are kept, and
    every later load of their documents applies them."""
    from govkg.services.correcting import import_corrections

    report = import_corrections(settings, _read_corrections(file))
    click.echo(f"from {file}: {len(report.applied)} applied now, {len(report.for_later)} kept for documents not "
               f"loaded yet, {len(report.already)} kept already")  # fmt: skip
    for c in report.missing:
        _warn(f"correction {c.id} ({c.action} {c.target}, by {c.author}) found nothing stored to correct; kept")


@corrections.command("undo", short_help="Undo one correction.")
@click.argument("correction_id")
@store_options
def corrections_undo(correction_id: str, settings: StoreSettings) -> None:
    """Undo CORRECTION_ID: what it changed in the store is put back as it was, in one transaction, and
    loads no longer apply it. Refused if those facts changed since (undo the later correction first)."""
    from govkg.services.correcting import undo

    done = undo(settings, correction_id)
    c = done.correction
    if done.in_place:
        click.echo(f"undone: {c.action} {c.target} by {c.author}; put back {done.nodes_changed} node(s) and "
                   f"{done.edges_changed} relationship(s) as they were")  # fmt: skip
    else:
        click.echo(f"undone: {c.action} {c.target} by {c.author}; it had not changed stored facts (its documents "
                   "are not loaded, or its fact was not found), so nothing was put back; loads no longer apply it")


@main.command(short_help="Correct one stored fact now (a node or a relationship).")
@click.argument("action", type=click.Choice(["reject", "rename", "retype", "reattach", "mark_planned", "merge",
                                             "split_alias"]))  # fmt: skip
@click.option("--node", "node", default="", help="The node to correct, by id (`govkg search` finds ids).")
@click.option("--edge", "edge", nargs=3, default=None, metavar="TYPE SOURCE TARGET",
              help="The relationship to correct: its type and its two ends' ids.")
@click.option("--name", default="", help="rename: the new name.")
@click.option("--label", type=click.Choice(["Mechanism", "Organisation", "Policy"]), default=None,
              help="retype: the new kind.")
@click.option("--into", default="", help="merge: the id of the node this one is the same as.")
@click.option("--source", "new_source", default="", help="reattach: the relationship's new source id.")
@click.option("--target", "new_target", default="", help="reattach: the relationship's new target id.")
@click.option("--alias", default="", help="split_alias: the alias that names another thing.")
@click.option("--reason", default="", help="Why (kept with the correction).")
@click.option("--author", default=None, help="Who corrects [default: $GOVKG_USER, else the login name].")
@click.option("--similar-top", type=click.IntRange(min=0), default=10, show_default=True,
              help="Refresh each zone's N most similar zones afterwards (0: leave SIMILAR_TO as it is).")
@format_option
@store_options
def correct(action: str, node: str, edge: tuple[str, str, str] | None, name: str, label: str | None, into: str,
            new_source: str, new_target: str, alias: str, reason: str, author: str | None, similar_top: int,
            fmt: str, settings: StoreSettings) -> None:  # fmt: skip
    """Correct one stored fact now, in one transaction, and keep the correction (who, when, why, what the
    extractor had said) so every later load applies it; `govkg corrections undo ID` puts it back."""
    from govkg.graph.corrections import Target
    from govkg.services.correcting import author_name
    from govkg.services.correcting import correct as correct_fact

    if bool(node) == bool(edge):
        raise GovkgError("name one fact: --node ID, or --edge TYPE SOURCE TARGET")
    target = Target(node=node) if node else Target(edge=edge)
    value = {k: v for k, v in {"name": name, "label": label, "into": into, "source": new_source,
                               "target": new_target, "alias": alias}.items() if v}  # fmt: skip
    done = correct_fact(settings, action, target, value, author=author_name(author), reason=reason,
                        similarity_top=similar_top)  # fmt: skip
    if fmt == "json":
        click.echo(to_json({**done.correction.to_dict(), "nodes_changed": done.nodes_changed,
                            "edges_changed": done.edges_changed}))  # fmt: skip
        return
    click.echo(f"corrected: {action} {target} ({done.nodes_changed} node(s), {done.edges_changed} relationship(s) "
               f"changed); kept as {done.correction.id}")  # fmt: skip


@main.command("queries")
@format_option
def list_queries(fmt: str) -> None:
    """List the saved queries: name, title and parameters."""
    from govkg.graph.saved_queries import load_saved_queries

    saved = load_saved_queries()
    columns = ["name", "title_zh", "title_en", "parameters"]
    rows = [
        [
            q.name,
            q.title_zh,
            q.title_en,
            ", ".join(f"{p.name}: {p.type}" + (f" = {p.default}" if p.default is not None else "") for p in q.params),
        ]
        for q in saved.values()
    ]
    click.echo(render(columns, rows, fmt), nl=False)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"parameter {pair!r} is not of the form name=value")
        params[key.strip()] = value
    return params


@main.command(short_help="Run a saved query.")
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="K=V", help="A query parameter; repeat for several.")
@click.option("--limit", type=int, default=None, help="Return at most this many rows.")
@format_option
@store_options
def query(name: str, params: tuple[str, ...], limit: int | None, fmt: str, settings: StoreSettings) -> None:
    """Run the saved query NAME (see `govkg queries`)."""
    from govkg.graph.read_limits import memory_limited
    from govkg.graph.saved_queries import run_saved_query

    with _open_for_reading(settings) as store, memory_limited():
        result = run_saved_query(store, name, _parse_params(params), limit=limit)
    click.echo(render(result.columns, result.rows, fmt), nl=False)
    if result.truncated:
        click.echo(f"govkg: only the first {limit} rows are shown", err=True)


@main.command(short_help="Run an ad-hoc Cypher query, read-only.")
@click.argument("statement")
@click.option("--param", "-p", "params", multiple=True, metavar="K=V", help="A query parameter (string value).")
@click.option("--limit", type=int, default=1000, show_default=True, help="Return at most this many rows.")
@format_option
@store_options
def cypher(statement: str, params: tuple[str, ...], limit: int, fmt: str, settings: StoreSettings) -> None:
    """Run an ad-hoc Cypher STATEMENT, read-only (writes are refused)."""
    from govkg.graph.read_limits import memory_limited

    with _open_for_reading(settings) as store, memory_limited():  # opened before the limit is set
        result = store.read(statement, dict(_parse_params(params)), limit=limit)
    click.echo(render(result.columns, result.rows, fmt), nl=False)
    if result.truncated:
        click.echo(f"govkg: only the first {limit} rows are shown (use --limit)", err=True)


@main.command(short_help="Full-text search: names, aliases, evidence sentences and documents' text.")
@click.argument("text")
@click.option("--label", type=click.Choice(NODE_LABELS), default=None, help="Only hits at nodes of this label.")
# graph/text_search.py's DEFAULT_TOP and MAX_TOP, written out: importing it (numpy) would slow every command.
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many hits to list.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="json: a list of hits (docs/contracts.md).")
@store_options
def search(text: str, label: str | None, top: int, fmt: str, settings: StoreSettings) -> None:
    """Find TEXT in the names, aliases, evidence sentences and documents' text (traditional or simplified
    characters alike, docs/search.md): each hit with its node, the sentence and where TEXT is in it. Best
    first: exact names, names holding TEXT, then sentences. The first search after a change to the store
    reads it for its search index (kept beside the database, or in the per-user cache for Neo4j)."""
    from govkg.graph.text_search import query_terms, search_from_store

    query_terms(text)  # a bad query is refused before the store is opened

    def building() -> None:
        click.echo(f"govkg: reading {settings.describe()} for its search index (once after each change) ...",
                   err=True)  # fmt: skip

    with _open_for_reading(settings) as store:
        hits = search_from_store(store, text, label=label, top=top, building=building)
    if fmt == "json":
        click.echo(to_json([{"rank": rank, **hit.to_dict()} for rank, hit in enumerate(hits, 1)]))
        return
    if not hits:
        click.echo(f"no name, alias, evidence sentence or document text holds {text.strip()!r}"
                   + (f" at a {label} node" if label else ""))  # fmt: skip
        return
    rows = [[rank, h.label, h.name, h.where, marked(h.sentence, h.start, h.end), h.node]
            for rank, h in enumerate(hits, 1)]  # fmt: skip
    click.echo(render(["rank", "label", "name", "where", "sentence", "node"], rows, "table"), nl=False)


@main.command(short_help="Zones with mechanisms most like a zone's, with reasons.")
@click.argument("zone")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many zones to list.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_options
def similar(zone: str, top: int, fmt: str, settings: StoreSettings) -> None:
    """List the zones whose mechanisms are most like ZONE's, with what they share."""
    from govkg.graph.correction_index import corrections_behind_pair
    from govkg.graph.model import node_id
    from govkg.graph.similarity import SimilarZone, similar_zones
    from govkg.i18n import kind_feature_name, similarity_note

    with _open_for_reading(settings) as store:
        answer = similar_zones(store, zone, top=top)
        kept = store.corrections()
    # Which corrected facts each answer rests on (the provenance beside the evidence).
    behind = {s.zone_id: [c.id for c in corrections_behind_pair(
        kept, (answer.zone_id, s.zone_id), [node_id("Mechanism", m) for m in s.shared_mechanisms])]
        for s in answer.similar}  # fmt: skip
    # The note in both languages, as one line: "中文 | English".
    note = " | ".join(similarity_note(answer.note, answer.zone, lang) for lang in ("zh", "en")) if answer.note else ""
    if fmt == "json":
        data = answer.to_dict()
        for entry in data["similar"]:
            entry["corrections"] = behind.get(entry["zone_id"], [])
        if note:
            data["note"] = note
        click.echo(to_json(data))
        return
    part_names = sorted({k for s in answer.similar for k in s.parts})

    def strongest(s: SimilarZone) -> str:
        """The three shared features giving most of the score; how many more there are."""
        top = [kind_feature_name(e.feature, "zh") for e in s.strongest(3)]
        more = len(s.explanation) - len(top)
        return "; ".join(top) + (f" +{more}" if more > 0 else "")

    rows = [[s.zone, s.score, strongest(s), *[s.parts.get(k) for k in part_names]] for s in answer.similar]
    click.echo(f"zones similar to {answer.zone} (score = sum of the parts):")
    click.echo(render(["zone", "score", "strongest shared", *part_names], rows, "table"), nl=False)
    click.echo(f"left out: zones sharing nothing with {answer.zone}, and its own higher and lower units")
    corrected = [s.zone for s in answer.similar if behind.get(s.zone_id)]
    if corrected:
        click.echo(f"rests on researchers' corrections (`govkg corrections` lists them): {', '.join(corrected)}")
    if note:
        click.echo(note)


@main.command(short_help="Families of zones with similar practice.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="Neighbours per zone in the similarity graph that is clustered.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_options
def families(top: int, fmt: str, settings: StoreSettings) -> None:
    """Group zones into families by mechanism profile (Louvain), each named after its dominant categories."""
    from govkg.graph.analytics import families_from_store

    with _open_for_reading(settings) as store:
        found = families_from_store(store, top=top)
    if fmt == "json":
        click.echo(to_json(found))
        return
    rows = [[f["family"], f"{f['name']} / {f['name_en']}", "、".join(z["name"] for z in f["zones"])] for f in found]
    click.echo(render(["family", "named after", "zones"], rows, "table"), nl=False)


@main.command(short_help="The most central mechanisms and organisations.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many of each label.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_options
def central(top: int, fmt: str, settings: StoreSettings) -> None:
    """Rank mechanisms and organisations by betweenness, then degree, in the zone–mechanism–organisation network."""
    from govkg.graph.analytics import centrality_from_store

    with _open_for_reading(settings) as store:
        found = centrality_from_store(store, top=top)
    if fmt == "json":
        click.echo(to_json(found))
        return
    rows = [[label, r["name"], r["degree"], r["betweenness"]] for label, ranked in found.items() for r in ranked]
    click.echo(render(["label", "name", "degree", "betweenness"], rows, "table"), nl=False)


@main.command("export", short_help="Export the whole graph: GraphML, GEXF, CSV or a Cypher script.")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv", "cypher"]), default="graphml",
              show_default=True,
              help="graphml/gexf: for Gephi; csv: a folder with nodes.csv and edges.csv (UTF-8 with BOM, for Excel); "
                   "cypher: a script that rebuilds the graph in any Neo4j (or `govkg import` into either engine).")
@store_options
def export_command(path: Path, fmt: str, settings: StoreSettings) -> None:
    """Write the store's whole graph to PATH (a folder for csv)."""
    from govkg.graph.export import export_graph

    with _open_for_reading(settings) as store:
        written = export_graph(store, fmt, path)
    for file in written:
        click.echo(str(file))


@main.command("import", short_help="Load a Cypher script written by `govkg export --format cypher`.")
@click.argument("script", type=click.Path(path_type=Path))
@store_options
def import_command(script: Path, settings: StoreSettings) -> None:
    """Load SCRIPT (a govkg Cypher export) into the store, idempotently: move a graph between engines."""
    from govkg.graph.export import import_cypher_script

    with open_store(settings) as store, store.staged():
        summary = import_cypher_script(store, script)
    click.echo("\n".join(_summary_lines(summary, settings)[1:]))


def _open_for_reading(settings: StoreSettings) -> GraphStore:
    return open_store(settings, read_only=True)


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


@main.command(short_help="Load the bundled cases and start the app.")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port the app serves on.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Embedded database file (default: $GOVKG_DB, else a per-user data folder).")
@click.option("--no-browser", is_flag=True, help="Do not try to open a browser window.")
def demo(port: int, db_path: Path | None, no_browser: bool) -> None:
    """Load the bundled cases into the embedded store and start the app on localhost."""
    if not port_is_free(port):
        raise GovkgError(f"port {port} is already in use; start the app on another port with `govkg demo --port N`")
    settings = StoreSettings.from_env("embedded", db_path)
    from govkg.services.loading import load_paths

    summary = load_paths(settings, [BUNDLED_CORPUS_DIR, BUNDLED_CASES_DIR], warn=_warn)
    click.echo("\n".join(_summary_lines(summary, settings)))
    click.echo(f"govkg app: http://localhost:{port}  (Ctrl+C to stop)")
    env = {**os.environ, "GOVKG_STORE": "embedded", "GOVKG_DB": str(settings.db_path)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP_FILE),
        "--server.port", str(port),
        "--server.address", "localhost",
        # Always headless: otherwise Streamlit's first run asks for an e-mail address on stdin.
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
    ]
    if not no_browser:
        # Open the page once the server has had a moment to start; harmless where there is no browser.
        threading.Timer(3.0, webbrowser.open, args=(f"http://localhost:{port}",)).start()
    try:
        # From the app's folder, so Streamlit reads the app's .streamlit/config.toml beside it.
        completed = subprocess.run(command, env=env, check=False, cwd=APP_FILE.parent)
    except KeyboardInterrupt:
        return
    if completed.returncode not in (0, -2, 130):
        raise GovkgError(f"the app stopped with exit status {completed.returncode}")



@main.group("neo4j")
def neo4j_group() -> None:
    """The project's own throwaway Neo4j 5.26 server (for tests, benchmarks and trying the Neo4j engine).

    Jars come from Maven Central on first use and are cached in .neo4j/ (or $GOVKG_NEO4J_HOME).
    """


def home_option(func: F) -> F:
    return click.option(
        "--home", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="The server's data folder (default: .neo4j/server, or $GOVKG_NEO4J_HOME/server).",
    )(func)


@neo4j_group.command("start")
@home_option
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Bolt port on 127.0.0.1 (default: a free one).")
@click.option("--fresh", is_flag=True, help="Delete the server's data first.")
@click.option("--heap", default=None, metavar="SIZE",
              help="JVM heap, like 4g (default: $GOVKG_NEO4J_HEAP or 512m). A load is one transaction, capped at "
                   "70% of the heap: give large loads a large heap.")
def neo4j_start(home: Path | None, port: int | None, fresh: bool, heap: str | None) -> None:
    """Start the server (or find it running) and print the bolt:// URI it serves."""
    from govkg.neo4j_server.server import password_file, start_server

    info = start_server(port, home=home, fresh=fresh, heap=heap)
    click.echo(info.uri)
    click.echo(f"pid {info.pid}, home {info.home}; authentication is on (user neo4j, password in "
               f"{password_file(info.home)}; govkg uses it by itself); use --store neo4j --neo4j-uri {info.uri}",
               err=True)


@neo4j_group.command("stop")
@home_option
def neo4j_stop(home: Path | None) -> None:
    """Stop the server if it runs."""
    from govkg.neo4j_server.server import stop_server

    info = stop_server(home)
    click.echo(f"stopped the Neo4j server at {info.uri} (pid {info.pid})" if info else "no Neo4j server was running")


@neo4j_group.command("status")
@home_option
def neo4j_status(home: Path | None) -> None:
    """Print the URI of the running server; exit status 3 when none runs."""
    from govkg.neo4j_server.server import server_status

    info = server_status(home)
    if info is None:
        click.echo("not running")
        sys.exit(3)
    click.echo(f"running at {info.uri} (pid {info.pid}, home {info.home})")


@main.command(short_help="Measure every performance figure beside its baseline (BENCHMARKS.md).")
@click.option("--quick", "mode", flag_value="quick", default=True, help="Smaller sizes, a few minutes (default).")
@click.option("--full", "mode", flag_value="full", help="The sizes the targets name (tens of minutes).")
@click.option("--huge", "mode", flag_value="huge",
              help="100,000 documents into a new store and the saved queries on it (679,570 nodes when measured): "
                   "hours; writes BENCHMARKS-huge.md and bench-huge.json.")
@click.option("--tiny", "mode", flag_value="tiny",
              help="Every step at toy sizes (about a minute): checks an installation; the figures mean nothing.")
@click.option("--output", "output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write BENCHMARKS.md and bench.json into this folder (default: a source checkout's "
                   "BENCHMARKS.md and bench/results/bench.json, else the current folder).")
def bench(mode: str, output: Path | None) -> None:
    """Run the benchmarks (bench/run.py): synthetic data in a temporary folder, Neo4j in a temporary home."""
    from govkg.bench.run import default_outputs, run

    table, raw = default_outputs(mode)
    if output:
        table, raw = output / table.name, output / raw.name
    command = f"govkg bench --{mode}" + (f" --output {output}" if output else "")
    report = run(mode, table_path=table, json_path=raw, command=command, log=click.echo)
    for row in report["figures"]:
        verdict = {True: "met", False: "MISSED", None: "-" if row["status"] == "ok" else "FAILED"}[row.get("met")]
        click.echo(f"{verdict:>6}  {row['figure']}: {row.get('value', row.get('note', ''))}")
    click.echo(f"written: {table} and {raw}")


if __name__ == "__main__":  # pragma: no cover
    main()
