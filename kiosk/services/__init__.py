"""Qt-free logic: configuration, API client, sync, auth, search. Never imports PySide6."""
