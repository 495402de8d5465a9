"""Server settings: one place, read from the environment (the CLI writes its flags there too)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

ENV_PREFIX = "CAMPUS_SYNC_"


def default_db_url() -> str:
    data_dir = Path(platformdirs.user_data_dir("campus-sync-server", appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'campus.db'}"


@dataclass(frozen=True)
class Settings:
    db_url: str
    host: str = "127.0.0.1"
    port: int = 8765
    workers: int = 1
    max_body_bytes: int = 1_048_576
    # Requests let into a worker at once: below anyio's 40 threads and the 40 pooled connections (db.py).
    max_in_flight: int = 24
    admission_timeout_s: float = 20.0
    # Threads answering up-to-date pulls on the hot path (api/hot_sync.py): 1, 2, 4 and 24 measured, the tail of
    # the latency grew with more (bench/README.md, `bench_load.py`).
    hot_pull_threads: int = 2
    sqlite_busy_timeout_ms: int = 10_000  # a writer waiting longer for SQLite's lock gets 503 server_busy
    log_level: str = "INFO"
    log_json: bool = True
    public_url: str | None = None  # what phones use to reach /m/... (QR login); defaults to the bind address
    # E-mail for notifications (core/notification_delivery.py): off unless smtp_host is set.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "一站式办事大厅 <noreply@localhost>"
    smtp_starttls: bool = False
    smtp_timeout: float = 10.0
    mail_retry_delays: tuple[float, ...] = (5.0, 30.0, 120.0)  # seconds before the 2nd, 3rd, … attempt
    # Uploaded attachments that no submitted form names are deleted once this old (core/attachment_retention.py);
    # 0 turns the server's hourly purge off.
    attachment_retention_hours: float = 336.0
    feed_interval_minutes: float = 30.0  # the news feeds' import (core/feeds.py); 0 turns it off
    # 首页's counters (core/counters/, docs/portal.md): "live" reads mail over IMAP and the library over SIP2
    # where configured; "demo" shows the seeded figures, marked as demo data.
    counters_mode: str = "live"
    counters_ttl_s: float = 60.0  # a figure read from a source is reused this long
    counters_failure_ttl_s: float = 15.0  # a source that failed is not asked again for this long
    counters_timeout_s: float = 3.0  # the longest one source may delay the answer
    imap_host: str | None = None  # unread mail: off unless set
    imap_port: int = 993
    imap_security: str = "ssl"  # ssl | starttls | plain (plain only to a loopback address)
    imap_ca_file: str | None = None  # a private CA for the mail server's certificate
    imap_login: str = "{user_id}"  # the mailbox's login name, from the portal user ({user_id}, {user_id_lower})
    imap_master_user: str | None = None  # a master user (Dovecot) that may open every mailbox
    imap_master_password: str | None = None
    imap_master_separator: str | None = None  # e.g. "*": log in as "user*master"; unset: SASL PLAIN with authzid
    imap_mailbox: str = "INBOX"
    imap_auth: str = "master"  # master | app_password (each user's 授权码, core/counters/app_passwords.py)
    mail_secret_keys: str | None = None  # Fernet keys, comma-separated, that seal the app passwords (first seals)
    sip2_host: str | None = None  # loans and overdue items: off unless set
    sip2_port: int = 6001
    sip2_institution: str = ""  # AO
    sip2_patron: str = "{user_id}"  # AA, from the portal user
    sip2_login_user: str | None = None  # 93 Login (CN/CO) before each request when set
    sip2_login_password: str | None = None
    sip2_location: str = ""  # CP of the Login
    sip2_terminal_password: str = ""  # AC
    sip2_encoding: str = "utf-8"
    # Device enrollment (core/devices.py, docs/deploy.md): kiosk-mode requests must carry an enrolled, not revoked
    # device's credential. On for an installed server; the tests' LiveServer turns it off unless a test asks.
    require_enrolled_kiosks: bool = True
    device_stale_minutes: float = 15.0  # `devices list` flags STALE a device not heard from for longer
    device_deep_outbox: int = 50  # … and DEEP one whose last heartbeat reported this many queued operations
    # The reverse proxies (nginx) whose X-Forwarded-For / X-Forwarded-Proto are believed: addresses or networks.
    # A request from anywhere else keeps its own peer address and scheme, whatever headers it sends.
    trusted_proxies: str = "127.0.0.1,::1"
    # GET /metrics (api/routes/metrics.py): from these addresses or networks, or with this bearer token.
    metrics_allow: str = "127.0.0.1,::1"
    metrics_token: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)

        def get(name: str, default: str | None = None) -> str | None:
            return env.get(ENV_PREFIX + name, default)

        return cls(
            db_url=get("DB") or default_db_url(),
            host=get("HOST", "127.0.0.1") or "127.0.0.1",
            port=int(get("PORT", "8765") or 8765),
            workers=int(get("WORKERS", "1") or 1),
            max_body_bytes=int(get("MAX_BODY_BYTES", "1048576") or 1_048_576),
            max_in_flight=max(1, int(get("MAX_IN_FLIGHT", "24") or 24)),
            admission_timeout_s=float(get("ADMISSION_TIMEOUT", "20") or 20),
            hot_pull_threads=max(1, int(get("HOT_PULL_THREADS", "2") or 2)),
            sqlite_busy_timeout_ms=int(get("SQLITE_BUSY_MS", "10000") or 10_000),
            log_level=(get("LOG_LEVEL", "INFO") or "INFO").upper(),
            log_json=(get("LOG_JSON", "1") or "1") not in ("0", "false", "no"),
            public_url=get("PUBLIC_URL"),
            smtp_host=get("SMTP_HOST") or None,
            smtp_port=int(get("SMTP_PORT", "25") or 25),
            smtp_user=get("SMTP_USER") or None,
            smtp_password=get("SMTP_PASSWORD") or None,
            smtp_from=get("SMTP_FROM") or "一站式办事大厅 <noreply@localhost>",
            smtp_starttls=(get("SMTP_STARTTLS", "0") or "0") not in ("0", "false", "no"),
            smtp_timeout=float(get("SMTP_TIMEOUT", "10") or 10),
            mail_retry_delays=tuple(
                float(x) for x in (get("MAIL_RETRY_DELAYS", "5,30,120") or "").split(",") if x.strip()
            ),
            attachment_retention_hours=float(get("ATTACHMENT_RETENTION_HOURS", "336") or 336),
            feed_interval_minutes=float(get("FEED_INTERVAL_MINUTES", "30") or 30),
            require_enrolled_kiosks=(get("REQUIRE_ENROLLED_KIOSKS", "1") or "1") not in ("0", "false", "no"),
            device_stale_minutes=float(get("DEVICE_STALE_MINUTES", "15") or 15),
            device_deep_outbox=int(get("DEVICE_DEEP_OUTBOX", "50") or 50),
            trusted_proxies=",".join(address_list("TRUSTED_PROXIES", get("TRUSTED_PROXIES", "127.0.0.1,::1"))),
            metrics_allow=",".join(address_list("METRICS_ALLOW", get("METRICS_ALLOW", "127.0.0.1,::1"))),
            metrics_token=_metrics_token(get("METRICS_TOKEN")),
            **_counter_settings(get),
        )

    def to_env(self) -> dict[str, str]:
        """The environment that reproduces these settings in a worker process."""
        env = {
            "DB": self.db_url,
            "HOST": self.host,
            "PORT": str(self.port),
            "WORKERS": str(self.workers),
            "MAX_BODY_BYTES": str(self.max_body_bytes),
            "MAX_IN_FLIGHT": str(self.max_in_flight),
            "ADMISSION_TIMEOUT": str(self.admission_timeout_s),
            "HOT_PULL_THREADS": str(self.hot_pull_threads),
            "SQLITE_BUSY_MS": str(self.sqlite_busy_timeout_ms),
            "LOG_LEVEL": self.log_level,
            "LOG_JSON": "1" if self.log_json else "0",
            "ATTACHMENT_RETENTION_HOURS": str(self.attachment_retention_hours),
            "FEED_INTERVAL_MINUTES": str(self.feed_interval_minutes),
            "REQUIRE_ENROLLED_KIOSKS": "1" if self.require_enrolled_kiosks else "0",
            "DEVICE_STALE_MINUTES": str(self.device_stale_minutes),
            "DEVICE_DEEP_OUTBOX": str(self.device_deep_outbox),
            "TRUSTED_PROXIES": self.trusted_proxies,
            "METRICS_ALLOW": self.metrics_allow,
        }
        if self.metrics_token:
            env["METRICS_TOKEN"] = self.metrics_token
        if self.public_url:
            env["PUBLIC_URL"] = self.public_url
        env.update(_counter_env(self))
        if self.smtp_host:
            env.update(
                SMTP_HOST=self.smtp_host,
                SMTP_PORT=str(self.smtp_port),
                SMTP_FROM=self.smtp_from,
                SMTP_STARTTLS="1" if self.smtp_starttls else "0",
                SMTP_TIMEOUT=str(self.smtp_timeout),
                MAIL_RETRY_DELAYS=",".join(str(d) for d in self.mail_retry_delays),
            )
            if self.smtp_user:
                env["SMTP_USER"] = self.smtp_user
            if self.smtp_password:
                env["SMTP_PASSWORD"] = self.smtp_password
        return {ENV_PREFIX + k: v for k, v in env.items()}


_COUNTER_ENV = {
    # setting: (variable, parse)
    "counters_mode": ("COUNTERS", str),
    "counters_ttl_s": ("COUNTERS_TTL", float),
    "counters_failure_ttl_s": ("COUNTERS_FAILURE_TTL", float),
    "counters_timeout_s": ("COUNTERS_TIMEOUT", float),
    "imap_host": ("IMAP_HOST", str),
    "imap_port": ("IMAP_PORT", int),
    "imap_security": ("IMAP_SECURITY", str),
    "imap_ca_file": ("IMAP_CA_FILE", str),
    "imap_login": ("IMAP_LOGIN", str),
    "imap_master_user": ("IMAP_MASTER_USER", str),
    "imap_master_password": ("IMAP_MASTER_PASSWORD", str),
    "imap_master_separator": ("IMAP_MASTER_SEPARATOR", str),
    "imap_mailbox": ("IMAP_MAILBOX", str),
    "imap_auth": ("IMAP_AUTH", str),
    "mail_secret_keys": ("MAIL_SECRET_KEYS", str),
    "sip2_host": ("SIP2_HOST", str),
    "sip2_port": ("SIP2_PORT", int),
    "sip2_institution": ("SIP2_INSTITUTION", str),
    "sip2_patron": ("SIP2_PATRON", str),
    "sip2_login_user": ("SIP2_LOGIN_USER", str),
    "sip2_login_password": ("SIP2_LOGIN_PASSWORD", str),
    "sip2_location": ("SIP2_LOCATION", str),
    "sip2_terminal_password": ("SIP2_TERMINAL_PASSWORD", str),
    "sip2_encoding": ("SIP2_ENCODING", str),
}
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _counter_settings(get: Callable[[str], str | None]) -> dict[str, Any]:
    """The counters' settings that the environment sets (the others keep their defaults), checked: a bad value
    stops the server at start, not at a user's first look at 首页."""
    found: dict[str, Any] = {}
    for name, (var, parse) in _COUNTER_ENV.items():
        raw = get(var)
        if raw:  # an empty variable means "not set", as for the SMTP settings
            try:
                found[name] = parse(raw)
            except ValueError:
                raise ValueError(f"{ENV_PREFIX}{var}: not a valid {parse.__name__}: {raw!r}") from None
    if found.get("counters_mode", "live") not in ("live", "demo"):
        raise ValueError(f"{ENV_PREFIX}COUNTERS: live or demo, not {found['counters_mode']!r}")
    security = found.get("imap_security", "ssl")
    if security not in ("ssl", "starttls", "plain"):
        raise ValueError(f"{ENV_PREFIX}IMAP_SECURITY: ssl, starttls or plain, not {security!r}")
    if security == "plain" and found.get("imap_host") not in (None, *_LOOPBACK):
        # The master password opens every mailbox: it never crosses a network in clear.
        raise ValueError(f"{ENV_PREFIX}IMAP_SECURITY=plain is allowed only to a loopback address")
    auth = found.get("imap_auth", "master")
    if auth not in ("master", "app_password"):
        raise ValueError(f"{ENV_PREFIX}IMAP_AUTH: master or app_password, not {auth!r}")
    if auth == "app_password":
        _check_secret_keys(found.get("mail_secret_keys"))
    elif found.get("imap_host") and not (found.get("imap_master_user") and found.get("imap_master_password")):
        raise ValueError(f"{ENV_PREFIX}IMAP_HOST needs {ENV_PREFIX}IMAP_MASTER_USER and _IMAP_MASTER_PASSWORD")
    return found


def _check_secret_keys(keys: str | None) -> None:
    # Imported here: the key check needs `cryptography`, which only the app-password mode uses.
    from cryptography.fernet import Fernet

    var = f"{ENV_PREFIX}MAIL_SECRET_KEYS"
    parts = [k.strip() for k in (keys or "").split(",") if k.strip()]
    if not parts:
        raise ValueError(f"{ENV_PREFIX}IMAP_AUTH=app_password needs {var} (make one: campus-sync-server mail-keys new)")
    for part in parts:
        try:
            Fernet(part)
        except (ValueError, TypeError):
            raise ValueError(f"{var}: not a Fernet key (32 url-safe base64 bytes): {part[:4]}…") from None


def address_list(var: str, raw: str | None) -> list[str]:
    """A comma-separated list of IP addresses and networks (10.0.0.0/24), checked and normalised; empty: none.
    "*" is refused: believing every peer's X-Forwarded-For lets any client pick the address it is throttled by."""
    import ipaddress

    found: list[str] = []
    for part in (raw or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            found.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{var}: not an IP address or network: {part!r}") from None
    return found


def _metrics_token(raw: str | None) -> str | None:
    token = (raw or "").strip()
    if token and len(token) < 16:
        raise ValueError(f"{ENV_PREFIX}METRICS_TOKEN: at least 16 characters (e.g. openssl rand -hex 16)")
    return token or None


def _counter_env(settings: Settings) -> dict[str, str]:
    env: dict[str, str] = {}
    for name, (var, _) in _COUNTER_ENV.items():
        value = getattr(settings, name)
        if value is not None and value != "":
            env[var] = str(value)
    return env
