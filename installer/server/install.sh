#!/usr/bin/env bash
# Install the Campus Kiosk sync server on a Debian/Ubuntu campus host, as a systemd service behind nginx.
#
#   sudo installer/server/install.sh [--postgres | --db URL] [--workers N] [--port P] [--public-url URL]
#                                    [--nginx SERVER_NAME] [--venv DIR]
#   sudo installer/server/install.sh --uninstall [--purge]
#   options: --dry-run (print what would be done, change nothing)
#   DESTDIR=/tmp/root installer/server/install.sh …   write into a staging root (no user, no venv, no systemctl)
#
# Writes: the user campus-sync (system, no password, no shell); /etc/campus-sync-server/server.env (the settings,
# root:campus-sync 0640, kept if it exists); campus-sync-server.service (several workers, sandboxed) and a daily
# backup (campus-sync-server-backup.service/.timer into /var/backups/campus-sync-server); the venv in --venv DIR
# (default /opt/campus-sync-server: python3 -m venv, then pip install this checkout's [server]; an existing venv
# with campus-sync-server in it is used as it is). --postgres creates the PostgreSQL role campus-sync and the
# database campus_sync on this host (peer authentication over the local socket: no password to keep) and points
# CAMPUS_SYNC_DB at it; without it the server uses SQLite in /var/lib/campus-sync-server. --nginx NAME puts the
# sample site (installer/server/nginx/campus-sync.conf, server_name NAME) in /etc/nginx/sites-available.
# Every file it writes is listed in /var/lib/campus-sync-server-install/manifest, which --uninstall reads back;
# the data (/var/lib/campus-sync-server, the backups, the PostgreSQL database) stays unless --purge (files only:
# drop the database yourself with dropdb).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DESTDIR="${DESTDIR:-}"
DRY_RUN=0
UNINSTALL=0
PURGE=0
POSTGRES=0
DB_URL=""
WORKERS=4
PORT=8765
PUBLIC_URL=""
NGINX_NAME=""
VENV=/opt/campus-sync-server

SERVICE_USER=campus-sync
PG_ROLE=campus-sync
PG_DB=campus_sync
CONF_DIR=/etc/campus-sync-server
STATE_DIR=/var/lib/campus-sync-server
BACKUP_DIR=/var/backups/campus-sync-server
MANIFEST_DIR=/var/lib/campus-sync-server-install
UNITS=(campus-sync-server.service campus-sync-server-backup.service campus-sync-server-backup.timer)

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit 2; }
say() { echo "install.sh: $*" >&2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --postgres) POSTGRES=1; shift ;;
        --db) DB_URL="${2:-}"; shift 2 ;;
        --db=*) DB_URL="${1#*=}"; shift ;;
        --workers) WORKERS="${2:-}"; shift 2 ;;
        --workers=*) WORKERS="${1#*=}"; shift ;;
        --port) PORT="${2:-}"; shift 2 ;;
        --port=*) PORT="${1#*=}"; shift ;;
        --public-url) PUBLIC_URL="${2:-}"; shift 2 ;;
        --public-url=*) PUBLIC_URL="${1#*=}"; shift ;;
        --nginx) NGINX_NAME="${2:-}"; shift 2 ;;
        --nginx=*) NGINX_NAME="${1#*=}"; shift ;;
        --venv) VENV="${2:-}"; shift 2 ;;
        --venv=*) VENV="${1#*=}"; shift ;;
        --dry-run) DRY_RUN=1; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        --purge) PURGE=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

SYSTEM=1
[ -n "$DESTDIR" ] && SYSTEM=0
if [ "$SYSTEM" = 1 ] && [ "$DRY_RUN" = 0 ] && [ "$(id -u)" -ne 0 ]; then
    die "run as root (or with --dry-run, or with DESTDIR=… for a staging root)"
fi

run() {  # a command that changes the system
    if [ "$DRY_RUN" = 1 ]; then echo "+ $*"; else "$@"; fi
}

MANIFEST="$DESTDIR$MANIFEST_DIR/manifest"
record() {  # a path (without DESTDIR) or user:NAME this install created, for --uninstall
    [ "$DRY_RUN" = 1 ] && return 0
    mkdir -p "$(dirname "$MANIFEST")"
    grep -qxF "$1" "$MANIFEST" 2>/dev/null || echo "$1" >>"$MANIFEST"
}

put() {  # put MODE PATH: write stdin to $DESTDIR/PATH
    local mode="$1" path="$2" content
    content="$(cat)"
    if [ "$DRY_RUN" = 1 ]; then echo "+ write $DESTDIR$path (mode $mode)"; return 0; fi
    mkdir -p "$DESTDIR$(dirname "$path")"
    printf '%s\n' "$content" >"$DESTDIR$path"
    chmod "$mode" "$DESTDIR$path"
    record "$path"
}

sed_escape() {  # a value for the right side of a sed s|…|…| command
    printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'
}

directory() {  # directory MODE OWNER PATH
    local mode="$1" owner="$2" path="$3"
    if [ -d "$DESTDIR$path" ]; then return 0; fi
    run mkdir -p "$DESTDIR$path"
    run chmod "$mode" "$DESTDIR$path"
    if [ "$SYSTEM" = 1 ]; then run chown "$owner" "$DESTDIR$path"; fi
    record "$path"
}

uninstall() {
    if [ ! -f "$MANIFEST" ]; then
        say "nothing to remove: $MANIFEST not found"
        return 0
    fi
    if [ "$SYSTEM" = 1 ] && command -v systemctl >/dev/null; then
        run systemctl disable --now campus-sync-server-backup.timer campus-sync-server.service || true
    fi
    local path
    while IFS= read -r path; do
        [ -n "$path" ] || continue
        case "$path" in
            "$STATE_DIR"|"$BACKUP_DIR")
                if [ "$PURGE" = 0 ]; then say "kept $DESTDIR$path (data; --purge removes it)"; continue; fi ;;
            /*) ;;
            user:*) continue ;;
            *) say "skipping odd manifest entry: $path"; continue ;;
        esac
        if [ -L "$DESTDIR$path" ] || [ -f "$DESTDIR$path" ]; then
            run rm -f "$DESTDIR$path"
        elif [ -d "$DESTDIR$path" ]; then
            run rm -rf "$DESTDIR$path"
        fi
    done < <(awk '{ print length($0) "\t" $0 }' "$MANIFEST" | sort -rn | cut -f2-)
    if [ "$SYSTEM" = 1 ] && grep -qxF "user:$SERVICE_USER" "$MANIFEST"; then
        run userdel "$SERVICE_USER" || true
    fi
    if [ "$SYSTEM" = 1 ] && command -v systemctl >/dev/null; then
        run systemctl daemon-reload || true
    fi
    run rm -rf "$DESTDIR$MANIFEST_DIR"
    say "removed (a PostgreSQL database, if --postgres made one, stays: dropdb $PG_DB)"
}

if [ "$UNINSTALL" = 1 ]; then
    uninstall
    exit 0
fi

[[ "$WORKERS" =~ ^[1-9][0-9]?$ ]] || die "--workers: a number from 1 to 99"
[[ "$PORT" =~ ^[1-9][0-9]{0,4}$ ]] && [ "$PORT" -le 65535 ] || die "--port: 1 to 65535"
case "$PUBLIC_URL" in
    ""|https://*) ;;
    http://*) say "warning: --public-url is http://; phones and terminals should reach the server over https" ;;
    *) die "--public-url must start with https:// (or http://)" ;;
esac
[ -z "$NGINX_NAME" ] || [[ "$NGINX_NAME" =~ ^[A-Za-z0-9.-]+$ ]] || die "--nginx: a host name, e.g. kiosk.example.edu.cn"
if [ "$POSTGRES" = 1 ] && [ -n "$DB_URL" ]; then die "--postgres or --db, not both"; fi
case "$DB_URL" in
    ""|sqlite:///*|postgresql+psycopg://*) ;;
    *) die "--db: sqlite:///PATH or postgresql+psycopg://user:pass@host/db" ;;
esac
if [ "$POSTGRES" = 1 ]; then
    # Peer authentication over the local socket: the service's user name is the role's name; no password.
    DB_URL="postgresql+psycopg:///$PG_DB?host=/var/run/postgresql"
elif [ -z "$DB_URL" ]; then
    DB_URL="sqlite:///$STATE_DIR/campus.db"
fi
if [ -z "$PUBLIC_URL" ] && [ -n "$NGINX_NAME" ]; then PUBLIC_URL="https://$NGINX_NAME"; fi

# 1. The user the server runs as: a system user, locked, no shell, its home the state dir.
if [ "$SYSTEM" = 1 ] && ! id "$SERVICE_USER" >/dev/null 2>&1; then
    run useradd --system --user-group --no-create-home --home-dir "$STATE_DIR" --shell /usr/sbin/nologin \
        --comment "Campus Kiosk sync server" "$SERVICE_USER"
    record "user:$SERVICE_USER"
fi

# 2. The program: a venv with the server's extra.
if [ -x "$DESTDIR$VENV/bin/campus-sync-server" ] || [ -x "$VENV/bin/campus-sync-server" ]; then
    say "using the server in $VENV"
elif [ "$SYSTEM" = 1 ]; then
    run python3 -m venv "$VENV"
    run "$VENV/bin/pip" install --quiet "$REPO[server]"
    record "$VENV"
else
    say "no venv made under DESTDIR: $VENV must hold campus-sync-server on the target"
fi

# 3. Directories: the state (SQLite, the service's HOME) and the backups, the service user's; the settings, root's.
directory 0750 "$SERVICE_USER:$SERVICE_USER" "$STATE_DIR"
directory 0750 "$SERVICE_USER:$SERVICE_USER" "$BACKUP_DIR"
directory 0750 "root:$SERVICE_USER" "$CONF_DIR"

# 4. The settings, once: a later run (an upgrade) keeps what the administrator changed.
ENV_FILE="$CONF_DIR/server.env"
if [ -f "$DESTDIR$ENV_FILE" ]; then
    say "kept $DESTDIR$ENV_FILE (your settings)"
else
    public_line="#CAMPUS_SYNC_PUBLIC_URL=https://kiosk.example.edu.cn"
    if [ -n "$PUBLIC_URL" ]; then public_line="CAMPUS_SYNC_PUBLIC_URL=$PUBLIC_URL"; fi
    sed -e "s|@DB@|$(sed_escape "$DB_URL")|" -e "s|@PORT@|$PORT|" -e "s|@WORKERS@|$WORKERS|" \
        -e "s|@PUBLIC_URL_LINE@|$(sed_escape "$public_line")|" "$HERE/server.env" | put 0640 "$ENV_FILE"
    if [ "$SYSTEM" = 1 ]; then run chown "root:$SERVICE_USER" "$DESTDIR$ENV_FILE"; fi
fi

# 5. The units, with the venv's path.
for unit in "${UNITS[@]}"; do
    sed -e "s|@VENV@|$(sed_escape "$VENV")|g" "$HERE/$unit" | put 0644 "/etc/systemd/system/$unit"
done

# 6. nginx's site (not enabled: it needs the certificate first).
if [ -n "$NGINX_NAME" ]; then
    sed -e "s|kiosk.example.edu.cn|$NGINX_NAME|g" -e "s|127.0.0.1:8765|127.0.0.1:$PORT|" "$HERE/nginx/campus-sync.conf" \
        | put 0644 /etc/nginx/sites-available/campus-sync.conf
fi

# 7. PostgreSQL: the role and the database, owned by it (idempotent).
if [ "$POSTGRES" = 1 ]; then
    if [ "$SYSTEM" = 1 ]; then
        pg() { run runuser -u postgres -- "$@"; }
        if [ "$DRY_RUN" = 1 ] || ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='$PG_ROLE'" | grep -q 1; then
            pg createuser --no-superuser --no-createdb --no-createrole "$PG_ROLE"
        fi
        if [ "$DRY_RUN" = 1 ] || ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname='$PG_DB'" | grep -q 1; then
            pg createdb --owner "$PG_ROLE" --encoding UTF8 "$PG_DB"
        fi
    else
        say "DESTDIR: run on the host: sudo -u postgres createuser $PG_ROLE && sudo -u postgres createdb -O $PG_ROLE $PG_DB"
    fi
fi

if [ "$SYSTEM" = 1 ]; then
    run systemctl daemon-reload
    run systemctl enable --now campus-sync-server.service campus-sync-server-backup.timer
    say "installed: systemctl status campus-sync-server; settings in $ENV_FILE (restart after editing)"
    if [ -n "$NGINX_NAME" ]; then say "nginx: put the certificate in /etc/ssl/campus-sync/, then ln -s ../sites-available/campus-sync.conf /etc/nginx/sites-enabled/ && nginx -t && systemctl reload nginx"; fi
else
    say "server files written under $DESTDIR (no user, no venv, no systemctl: DESTDIR install)"
fi
