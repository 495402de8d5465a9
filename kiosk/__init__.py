"""Campus Kiosk: the school's fusion portal and one-stop service hall for kiosks and office PCs."""

__version__ = "0.1.0"
