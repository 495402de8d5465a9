"""Thin QObjects and list models that QML sees; they adapt kiosk.services and hold no business rules.

Importing this package registers the types in the QML module `Kiosk.Backend`; kiosk/app.py builds them.
"""

from kiosk.views import (  # noqa: F401  (registration)
    app_state,
    calendar,
    calendar_edit,
    calendar_feed,
    calendar_reminders,
    campus_clock,
    catalog,
    certificates,
    devices_model,
    display,
    enrollment,
    field_model,
    form_controller,
    forms,
    hall,
    icons,
    idle,
    inbox,
    inbox_models,
    mail_password,
    messages,
    news_model,
    notify_settings,
    portal,
    process_model,
    qr_login,
    session,
    signature_ink,
    sync,
)

QML_IMPORT_NAME = "Kiosk.Backend"
