"""conflictkb: a cited knowledge base of armed groups, events and relations from reporting.

import conflictkb
kb = conflictkb.open("kb.sqlite")   # a Notebook: listings as pandas DataFrames (conflictkb.frames)
kb.events(country="UZ")
kb.kb                               # the KnowledgeBase underneath (conflictkb.kb): lists and model objects
"""

__version__ = "0.1.0"

from conflictkb.frames import Notebook, open_notebook
from conflictkb.kb import KnowledgeBase, open_kb

# ``conflictkb.open("kb.sqlite")`` reads like the built-in on purpose: it opens a knowledge base.
open = open_notebook

__all__ = ["KnowledgeBase", "Notebook", "__version__", "open", "open_kb"]
