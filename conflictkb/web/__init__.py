"""The web UI: server-rendered pages over the read API, every asset served from the package."""
