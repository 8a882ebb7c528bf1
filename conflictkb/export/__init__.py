"""Exporters: the knowledge base in the formats of other tools. They only read, through ``kb``.

``tables`` (events, entities, relations as JSON Lines or CSV), ``dump`` (everything as JSON Lines),
``incidents`` (every report of an incident combined into one row, for the formats below), ``acled``
and ``gtd`` (their CSV columns), ``geo`` (GeoJSON), ``graph`` (GEXF, GraphML), ``ftm``
(FollowTheMoney), ``datasette`` (Datasette metadata), ``cli`` (the ``export`` command).
docs/exports.md describes each.
"""
