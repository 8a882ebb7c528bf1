"""Exporters: the knowledge base in the formats of other tools. They only read, through ``kb``."""
