"""The kiosk's local store (SQLAlchemy on a SQLite file). Never imports PySide6."""
