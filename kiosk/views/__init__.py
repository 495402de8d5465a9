"""Thin QObjects and list models that QML sees; they adapt kiosk.services and hold no business rules.

Importing this package registers the types in the QML module `Kiosk.Backend`.
"""

from kiosk.views import (  # noqa: F401  (registration)
    app_state,
    form_model,
    hall,
    icons,
    inbox,
    process_model,
    session,
    sync_status,
)

QML_IMPORT_NAME = "Kiosk.Backend"
