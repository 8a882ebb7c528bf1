"""Engines run the per-document pipeline over many files and fold the results into the store."""
