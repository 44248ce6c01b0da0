"""The web app: a REST API and a browser UI over one workspace, served by one process.

``rashomon serve --db DB`` runs :func:`create_app` under uvicorn.  The API
(``/api``, OpenAPI at ``/openapi.json``) and the pages read the store through
:class:`~rashomon.web.query.Catalog`; reviews and ingest jobs write through
the Store's own methods and the ingest pipeline.  Details: ``docs/web.md``.
"""

from rashomon.web.app import ServeConfig, create_app
from rashomon.web.query import Catalog, kinds

__all__ = ["Catalog", "ServeConfig", "create_app", "kinds"]
