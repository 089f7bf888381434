"""TEMPORARY: the names pages/4_Similar_zones.py still reads as `ui.*` while that page is rewritten
for typed similarity answers; removed once it imports the modules below itself."""

from govkg.app.caches import (  # noqa: F401
    cache_key,
    cached_families,
    cached_index,
    cached_node_entries,
    cached_profiles,
    cached_similar,
    cached_similarity_graph,
)
from govkg.app.connection import require_store  # noqa: F401
from govkg.app.error_display import reporting_errors, show_error  # noqa: F401
from govkg.app.language import edge_name, feature_name, in_language_now, joined, language, t, t_each  # noqa: F401
from govkg.app.markdown import md_escape  # noqa: F401
from govkg.app.overview_tables import documents  # noqa: F401
from govkg.app.page_frame import NODE_PAGE, page_setup  # noqa: F401
from govkg.app.pictures import show_graph  # noqa: F401
from govkg.app.similar_display import bilingual_note, busiest_zone  # noqa: F401
from govkg.app.url_state import initial_index, lazy_tabs, remember_choice, restore_choice, widget_default  # noqa: F401
