"""The form that corrects one stored node or one of its relationships, where a researcher reads it
(the node page, the similar-zones page): choose the fact, an action that fits it
(govkg/app/correct_actions.py), what the action needs and a reason; applying writes through
govkg/services/correcting.py at once and reruns the page.

Every widget key starts with the page's prefix, so one page can offer the form for several nodes.
What a correction did reaches the page's next run as a `Corrected` (`take_corrected`): its message,
and the node the corrected one became, which the page may follow."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import streamlit as st

from govkg.app import connection, error_display
from govkg.app.correct_actions import NODE_KEY, Choice, Planned, Refused, became, choices_for, planned
from govkg.app.language import edge_name, in_language_now, label_name, t, t_each
from govkg.app.markdown import md_escape
from govkg.app.search import NodeEntry
from govkg.errors import GovkgError
from govkg.graph.model import GraphDocument, Node
from govkg.graph.store import GraphStore
from govkg.i18n import tr
from govkg.services.correcting import correct

__all__ = ["AROUND_LIMIT", "Corrected", "choice_text", "correct_expander", "correct_form", "done_message",
           "offered", "take_corrected"]  # fmt: skip

AROUND_LIMIT = 2000  # neighbours read to list a node's relationships (the node page reads as many)


@dataclass(frozen=True)
class Corrected:
    """What the last correction did, kept for the page's next run."""

    node: str  # the node whose form made it
    became: str | None  # the node that one became (itself if a relationship or alias was corrected; None: rejected)
    message: str  # in the reader's language, as Markdown


def choice_text(choice: Choice, node: Node, names: dict[str, str]) -> str:
    if choice.key == NODE_KEY:
        return t("correct.this_node", name=f"{node.name} ({label_name(node.label)})")
    assert choice.target.edge is not None
    kind, source, target = choice.target.edge
    return f"{names.get(source, source)} —{edge_name(kind)}→ {names.get(target, target)}"


def offered(key: str, options: Collection[object]) -> None:
    """Before a keyed widget: drop a held value its options no longer offer (another node, a fact gone)."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


def correct_form(node: Node, around: GraphDocument, entries: Sequence[NodeEntry], author: str, *,
                 done_key: str, prefix: str = "correct", follows: bool = True) -> None:  # fmt: skip
    """Correct `node` or one of its relationships in `around` (its neighbourhood), in the store, now.
    Widget keys are `<prefix>_fact`, `<prefix>_action`, `<prefix>_name`…; what was done is kept under
    `done_key` for the next run. `follows`: the page then shows the node the corrected one became."""
    names = {e.id: e.name for e in entries} | {n.id: n.name for n in around.nodes}
    by_id = {e.id: e for e in entries}

    def caption(node_id: str) -> str:  # worded only for the options a picker shows (100,000 captions took seconds)
        return by_id[node_id].caption() if node_id in by_id else node_id

    choices = {c.key: c for c in choices_for(node, around, entries)}
    if not choices:
        return

    def key(field: str) -> str:
        return f"{prefix}_{field}"

    st.caption(t("correct.about"))
    offered(key("fact"), list(choices))
    fact = st.selectbox(t("correct.fact"), list(choices), key=key("fact"),
                        format_func=in_language_now(lambda k: choice_text(choices[k], node, names)))  # fmt: skip
    choice = choices[fact]
    offered(key("action"), choice.actions)
    action = st.selectbox(t("correct.action"), choice.actions, key=key("action"),
                          format_func=in_language_now(lambda a: t(f"corrections.action.{a}")))  # fmt: skip
    values: dict[str, str] = {}
    if action == "rename":
        values["name"] = st.text_input(t("correct.new_name"), key=key("name"))
    elif action == "retype":
        offered(key("label"), choice.labels)
        values["label"] = st.selectbox(t("correct.new_label"), choice.labels, key=key("label"),
                                       format_func=in_language_now(label_name)) or ""  # fmt: skip
    elif action == "merge":
        offered(key("into"), choice.merge_into)
        values["into"] = st.selectbox(t("correct.into"), choice.merge_into, key=key("into"),
                                      format_func=in_language_now(caption)) or ""  # fmt: skip
    elif action == "split_alias":
        offered(key("alias"), choice.aliases)
        values["alias"] = st.selectbox(t("correct.alias"), choice.aliases, key=key("alias")) or ""
    elif action == "reattach" and choice.target.edge is not None:
        ends = {"source": choice.target.edge[1], "target": choice.target.edge[2]}
        offered(key("end"), list(choice.reattach_to))
        values["end"] = st.selectbox(t("correct.end"), list(choice.reattach_to), key=key("end"),
                                     format_func=in_language_now(lambda e: t(f"correct.end.{e}", name=names.get(
                                         ends[e], ends[e])))) or ""  # fmt: skip
        offered(key("to"), choice.reattach_to.get(values["end"], ()))
        values["to"] = st.selectbox(t("correct.to"), choice.reattach_to.get(values["end"], ()), key=key("to"),
                                    format_func=in_language_now(caption)) or ""  # fmt: skip
    reason = st.text_input(t("correct.reason"), key=key("reason"))
    if not author:
        st.warning(t("correct.need_author"))
    if not st.button(t("correct.apply"), key=key("apply"), disabled=not author,
                     help=None if author else t("correct.need_author")):  # fmt: skip
        return
    try:
        wanted = planned(choice, action, current_name=node.name, **values)
        done = correct(connection.current_settings(), wanted.action, wanted.target, wanted.value,
                       author=author, reason=reason)  # fmt: skip
    except Refused as err:
        st.error(t(f"correct.refused.{err.code}"))
    except GovkgError as err:
        error_display.show_error(err)
    else:
        connection.release_store()
        message = done_message(wanted, done.nodes_changed, done.edges_changed, choice_text(choice, node, names),
                               node, names, follows=follows)  # fmt: skip
        st.session_state[done_key] = Corrected(node.id, became(wanted, node), message)
        for field in ("name", "reason"):
            st.session_state.pop(key(field), None)
        st.rerun()


def correct_expander(store: GraphStore, node_id: str, label: str, entries: Sequence[NodeEntry], author: str, *,
                     done_key: str, prefix: str, follows: bool) -> None:  # fmt: skip
    """The form for one node in an expander, closed at first, whose content runs only once opened:
    a page can offer it beside many nodes without reading each one's relationships."""
    box = st.expander(label, expanded=False, key=f"{prefix}_open", on_change="rerun")
    with box:
        if not box.open:
            return
        node = store.node(node_id)
        if node is None:  # corrected away since the page listed it
            st.caption(t("correct.gone"))
            return
        around = store.neighbourhood(node_id, depth=1, limit=AROUND_LIMIT)
        correct_form(node, around, entries, author, done_key=done_key, prefix=prefix, follows=follows)


def take_corrected(done_key: str) -> Corrected | None:
    """What the last correction on this page did, once (None when there was none)."""
    found = st.session_state.pop(done_key, None)
    return found if isinstance(found, Corrected) else None


def done_message(wanted: Planned, nodes: int, edges: int, target: str, node: Node, names: dict[str, str], *,
                 follows: bool = True) -> str:  # fmt: skip
    """What a correction did, in the reader's language: the action, the fact, how much changed, and
    the node it became (`follows`: the page now shows it)."""
    message = t_each("correct.done", lambda lang: {"action": tr(f"corrections.action.{wanted.action}", lang),
                                                   "target": md_escape(target), "nodes": nodes, "edges": edges})
    after = became(wanted, node)
    if after is None:
        return f"{message} {t('correct.gone')}"
    if after != node.id:
        shown = names.get(after, after) if wanted.action == "merge" else str(wanted.value.get("name") or node.name)
        return f"{message} {t('correct.now_showing' if follows else 'correct.became', name=md_escape(shown))}"
    return message
