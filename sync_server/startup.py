"""What every server command does first: the schema brought to head, the epoch set, the workflow definitions
announced. Its own module so that the CLI's command modules (mail_keys_cli, releases_cli) and cli.py share it
without importing one another."""

from __future__ import annotations

from sync_server.core.config import Settings


def init_db(settings: Settings) -> None:
    from sync_server.core.meta import ensure_epoch
    from sync_server.core.workflow_views import announce_definitions
    from sync_server.db import Database
    from sync_server.migrate import upgrade

    upgrade(settings.db_url)
    db = Database(settings.db_url)
    with db.transaction() as session:
        ensure_epoch(session)
        # Definitions and post holders not announced yet in their current form (a server upgraded from before
        # workflow_handlers existed): announced now, once, by this one process before the workers start. Each
        # is compared with what was last announced, so an unchanged one costs a digest (about 50 ms for 64).
        announce_definitions(session)
    db.dispose()
