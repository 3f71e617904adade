"""The Superset dashboard on the BI tier (`make bi`): its own environment .venv-bi, metadata in
.bi/, assets versioned in bi/superset/. The modules here run in the project's .venv and drive
Superset through its command line and REST API; only `screenshot` runs in .venv-bi (selenium)."""
