"""Keys of the store's meta table that views read as well (kept apart from the store's modules, which load
SQLAlchemy: a view importing these must not pull the ORM onto the start-up path)."""

SYNCED_AT_KEY = "content.synced_at"  # when a pull last reached the server (the age 消息中心 shows offline)
VERSION_KEY = "content.news_version"  # bumped by every applied page that changed news or read marks
