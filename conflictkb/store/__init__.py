"""The store: the only code that speaks SQL. ``db`` opens and migrates, ``writer`` writes,
``reader`` answers queries."""

from conflictkb.store.db import Store, StoreError

__all__ = ["Store", "StoreError"]
