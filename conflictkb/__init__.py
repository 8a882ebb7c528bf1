"""conflictkb: a cited knowledge base of armed groups, events and relations from reporting."""

__version__ = "0.1.0"

from conflictkb.kb import KnowledgeBase, open_kb

# ``conflictkb.open("kb.sqlite")`` reads like the built-in on purpose: it opens a knowledge base.
open = open_kb

__all__ = ["KnowledgeBase", "__version__", "open"]
