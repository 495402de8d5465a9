"""Campus Kiosk sync server: identity, hall catalog, content and sync for the kiosks."""

__version__ = "0.1.0"
