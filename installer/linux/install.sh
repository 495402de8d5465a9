#!/usr/bin/env bash
# Install the Campus Kiosk client bundle (built by `./run package`) on a Debian/Ubuntu machine.
#
#   sudo installer/linux/install.sh --mode desk  [--server URL] [--autostart] [--bundle DIR]
#   sudo installer/linux/install.sh --mode kiosk [--server URL] [--bundle DIR] [--enroll CODE]
#   sudo installer/linux/install.sh --uninstall
#   options: --dry-run (print what would be done, change nothing), --no-apt (do not install cage & co.)
#   DESTDIR=/tmp/root installer/linux/install.sh …   write into a staging root (no users, no systemctl, no apt)
#
# desk:  the bundle in /opt/campus-kiosk, /usr/local/bin/campus-kiosk, a desktop entry, optionally an XDG
#        autostart entry, /etc/campus-kiosk/config.toml.
# kiosk: the same bundle and config, a dedicated user without password or shell, and campus-kiosk.service: the
#        app fullscreen under the cage Wayland compositor on tty1 (no VT switching), restarted whenever it ends,
#        its home a fresh tmpfs dir per session, plus lock-down files (no Ctrl+Alt+Del reboot, no SysRq, no
#        spare gettys). --enroll CODE leaves IT's one-time enrollment code (campus-sync-server devices enroll)
#        where the first start finds it: /var/lib/campus-kiosk/enrollment_code, mode 0600, owned by the kiosk
#        user. Every file it writes is listed in /var/lib/campus-kiosk-install/manifest, which --uninstall
#        reads back.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DESTDIR="${DESTDIR:-}"
MODE=""
SERVER_URL="http://127.0.0.1:8765"
AUTOSTART=0
DRY_RUN=0
UNINSTALL=0
USE_APT=1
BUNDLE="$REPO/dist/campus-kiosk"
ENROLL_CODE=""

PREFIX=/opt/campus-kiosk
CONF_DIR=/etc/campus-kiosk
STATE_DIR=/var/lib/campus-kiosk
MANIFEST_DIR=/var/lib/campus-kiosk-install
KIOSK_USER=campus-kiosk
UNIT=campus-kiosk.service
# The shared libraries the bundle takes from the system, not from itself (installer/bundle/campus-kiosk.spec
# reads this line and leaves out every library these packages and their dependencies provide): both modes.
APT_RUNTIME=(libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
             libglib2.0-0 libpulse0 libx11-6 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
             libxcb-render-util0 libxcb-xinerama0 libxcb-xkb1 libxcb-randr0 libxcb-shape0 libssl3 libsqlite3-0 libffi8
             libgssapi-krb5-2 libcups2)
APT_KIOSK=(cage xwayland libwayland-cursor0 libwayland-egl1 fonts-noto-cjk)
APT_DESK=(fonts-noto-cjk libxcb-cursor0)

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit 2; }
say() { echo "install.sh: $*" >&2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --mode) MODE="${2:-}"; shift 2 ;;
        --mode=*) MODE="${1#*=}"; shift ;;
        --server) SERVER_URL="${2:-}"; shift 2 ;;
        --server=*) SERVER_URL="${1#*=}"; shift ;;
        --bundle) BUNDLE="${2:-}"; shift 2 ;;
        --bundle=*) BUNDLE="${1#*=}"; shift ;;
        --enroll) ENROLL_CODE="${2:-}"; shift 2 ;;
        --enroll=*) ENROLL_CODE="${1#*=}"; shift ;;
        --autostart) AUTOSTART=1; shift ;;
        --dry-run) DRY_RUN=1; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        --no-apt) USE_APT=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

# A real install changes the system; a DESTDIR one only writes files under DESTDIR.
SYSTEM=1
[ -n "$DESTDIR" ] && SYSTEM=0
if [ "$SYSTEM" = 1 ] && [ "$DRY_RUN" = 0 ] && [ "$(id -u)" -ne 0 ]; then
    die "run as root (or with --dry-run, or with DESTDIR=… for a staging root)"
fi

run() {  # a command that changes the system
    if [ "$DRY_RUN" = 1 ]; then echo "+ $*"; else "$@"; fi
}

MANIFEST="$DESTDIR$MANIFEST_DIR/manifest"
record() {  # a path (without DESTDIR) this install created, for --uninstall
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

link() {  # link TARGET PATH
    if [ "$DRY_RUN" = 1 ]; then echo "+ ln -sfn $1 $DESTDIR$2"; return 0; fi
    mkdir -p "$DESTDIR$(dirname "$2")"
    ln -sfn "$1" "$DESTDIR$2"
    record "$2"
}

toml_string() {  # a TOML basic string
    local s="${1//\\/\\\\}"
    printf '"%s"' "${s//\"/\\\"}"
}

uninstall() {
    if [ ! -f "$MANIFEST" ]; then
        say "nothing to remove: $MANIFEST not found"
        return 0
    fi
    if [ "$SYSTEM" = 1 ] && command -v systemctl >/dev/null && grep -qxF "/etc/systemd/system/$UNIT" "$MANIFEST"; then
        run systemctl disable --now "$UNIT" || true
    fi
    # Deepest paths first, so that directories come after what they hold.
    local path
    while IFS= read -r path; do
        [ -n "$path" ] || continue
        case "$path" in
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
    if [ "$SYSTEM" = 1 ] && grep -qxF "user:$KIOSK_USER" "$MANIFEST"; then
        run userdel "$KIOSK_USER" || true
    fi
    if [ "$SYSTEM" = 1 ] && command -v systemctl >/dev/null; then
        run systemctl daemon-reload || true
    fi
    # The kiosk's local store (queued operations not yet delivered) is data, not install: kept unless asked.
    if [ -d "$DESTDIR$STATE_DIR" ]; then
        say "kept $DESTDIR$STATE_DIR (the local store); remove it yourself once its queue is delivered"
    fi
    run rm -rf "$DESTDIR$MANIFEST_DIR"
    # Empty parents this install created.
    for dir in "$CONF_DIR" /etc/systemd/logind.conf.d; do
        [ -d "$DESTDIR$dir" ] && run rmdir --ignore-fail-on-non-empty "$DESTDIR$dir"
    done
    say "removed"
}

if [ "$UNINSTALL" = 1 ]; then
    uninstall
    exit 0
fi

case "$MODE" in
    desk|kiosk) ;;
    "") usage >&2; die "--mode desk|kiosk is required" ;;
    *) die "--mode must be desk or kiosk, not $MODE" ;;
esac
case "$SERVER_URL" in
    http://*|https://*) ;;
    *) die "--server must start with http:// or https://" ;;
esac
if [ -n "$ENROLL_CODE" ]; then
    [ "$MODE" = kiosk ] || die "--enroll is for --mode kiosk (a staff PC: campus-kiosk --enroll CODE once)"
    [[ "$ENROLL_CODE" =~ ^[A-Za-z0-9-]{1,32}$ ]] || die "--enroll: a code looks like ABCD-EFGH-JKLM"
fi
[ -x "$BUNDLE/campus-kiosk" ] || die "no bundle at $BUNDLE (build it with ./run package, or pass --bundle DIR)"

if [ "$SYSTEM" = 1 ] && [ "$USE_APT" = 1 ] && command -v apt-get >/dev/null; then
    if [ "$MODE" = kiosk ]; then pkgs=("${APT_RUNTIME[@]}" "${APT_KIOSK[@]}"); else pkgs=("${APT_RUNTIME[@]}" "${APT_DESK[@]}"); fi
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
fi

# 1. The bundle, as one release: $PREFIX/releases/<version>/ and $PREFIX/current -> releases/<version>, which
# everything starts through. A kiosk's self-update (kiosk/services/updates.py) unpacks newer releases beside it
# and switches `current` (docs/deploy.md, "Updates").
BUNDLE_VERSION="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$BUNDLE/_internal/kiosk/build.json" 2>/dev/null | head -n1 || true)"
[[ "$BUNDLE_VERSION" =~ ^[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}$ ]] || BUNDLE_VERSION=installed
RELEASE="$PREFIX/releases/$BUNDLE_VERSION"
if [ "$DRY_RUN" = 1 ]; then
    echo "+ copy $BUNDLE -> $DESTDIR$RELEASE"
else
    rm -rf "$DESTDIR$PREFIX"
    mkdir -p "$DESTDIR$PREFIX/releases"
    cp -a "$BUNDLE" "$DESTDIR$RELEASE"
    chmod -R u=rwX,go=rX "$DESTDIR$PREFIX"
    record "$PREFIX"
fi
link "releases/$BUNDLE_VERSION" "$PREFIX/current"
if [ "$MODE" = kiosk ]; then  # the unit's ExecStartPre: rolls back a self-update that does not start
    put 0755 "$PREFIX/start-guard.sh" <"$HERE/start-guard.sh"
fi
link "$PREFIX/current/campus-kiosk" /usr/local/bin/campus-kiosk

# 2. The config (kiosk/services/config.py reads it; flags override it).
if [ "$MODE" = kiosk ]; then
    DATA_LINE="data_dir = $(toml_string "$STATE_DIR")
install_dir = $(toml_string "$PREFIX")"
else
    DATA_LINE="# data_dir: each staff member's own ~/.local/share/campus-kiosk"
fi
put 0644 "$CONF_DIR/config.toml" <<CONF
# Campus Kiosk client configuration, written by installer/linux/install.sh (--mode $MODE).
# Settings: see docs/deploy.md. The command line (campus-kiosk --help) overrides them.
server_url = $(toml_string "$SERVER_URL")
mode = "$MODE"
$DATA_LINE
CONF

EXEC="$PREFIX/current/campus-kiosk --config $CONF_DIR/config.toml"

if [ "$MODE" = desk ]; then
    # 3d. Desktop entry, optional autostart.
    desktop_entry() {
        cat <<ENTRY
[Desktop Entry]
Type=Application
Name=Campus Kiosk
Name[zh_CN]=融合门户
Comment=郑州工商学院 融合门户 · 一站式办事大厅
Exec=$EXEC --mode desk
Icon=$PREFIX/current/_internal/kiosk/resources/icons/school.svg
Terminal=false
Categories=Office;
ENTRY
    }
    desktop_entry | put 0644 /usr/share/applications/campus-kiosk.desktop
    if [ "$AUTOSTART" = 1 ]; then
        { desktop_entry; echo "X-GNOME-Autostart-enabled=true"; } | put 0644 /etc/xdg/autostart/campus-kiosk.desktop
    fi
    say "desk client installed: start 融合门户 from the menu, or $PREFIX/campus-kiosk"
    exit 0
fi

# The enrollment code, for the first start to exchange (kiosk/services/device.py; it deletes the file once used).
# Not in the config file, which every local user may read; 0600 and the kiosk user's, like the store beside it.
enroll_code() {
    [ -n "$ENROLL_CODE" ] || return 0
    local path="$STATE_DIR/enrollment_code"
    if [ "$DRY_RUN" = 1 ]; then
        echo "+ write $DESTDIR$path (mode 0600, owner $KIOSK_USER): ${ENROLL_CODE:0:4}-…"
        return 0
    fi
    mkdir -p "$DESTDIR$STATE_DIR"
    chmod 0700 "$DESTDIR$STATE_DIR"
    (umask 077 && printf '%s\n' "$ENROLL_CODE" >"$DESTDIR$path")
    chmod 0600 "$DESTDIR$path"
    if [ "$SYSTEM" = 1 ]; then
        chown "$KIOSK_USER:$KIOSK_USER" "$DESTDIR$STATE_DIR" "$DESTDIR$path"
    fi
    record "$path"
}

# 3k. Kiosk: the session unit, its PAM stack, the lock-down files.
put 0644 "/etc/systemd/system/$UNIT" <<UNITFILE
# Campus Kiosk self-service terminal: the app fullscreen under cage on tty1, as $KIOSK_USER.
# Written by installer/linux/install.sh --mode kiosk; remove with install.sh --uninstall.
[Unit]
Description=Campus Kiosk session (cage on tty1)
Documentation=man:cage(1)
After=systemd-user-sessions.service plymouth-quit-wait.service network-online.target
Wants=network-online.target
# This unit owns tty1: no login prompt there, and nothing else can draw on it.
Conflicts=getty@tty1.service
After=getty@tty1.service
# Restart=always below: never give up, however often the app dies.
StartLimitIntervalSec=0

[Service]
Type=simple
User=$KIOSK_USER
# A logind session on seat0 (pam_systemd), so that cage may open the GPU and input devices without root.
PAMName=campus-kiosk
TTYPath=/dev/tty1
TTYReset=yes
TTYVHangup=yes
TTYVTDisallocate=yes
StandardInput=tty-fail
StandardOutput=journal
StandardError=journal
UtmpIdentifier=tty1
UtmpMode=user
# The home: a fresh directory under /run (tmpfs) for each session, deleted when it ends.
RuntimeDirectory=campus-kiosk-home
RuntimeDirectoryMode=0700
Environment=HOME=/run/campus-kiosk-home
# The local store (queued operations survive a restart and a power cut).
StateDirectory=campus-kiosk
StateDirectoryMode=0700
# Self-update: new releases are unpacked under $PREFIX/releases, then "current" is switched (docs/deploy.md).
ReadWritePaths=$PREFIX
Environment=XDG_SESSION_TYPE=wayland
Environment=QT_QPA_PLATFORM=wayland
Environment=QT_WAYLAND_DISABLE_WINDOWDECORATION=1
Environment=LANG=C.UTF-8
# The console never blanks under the app (cage itself has no idle blanking or DPMS timeout).
# (+: as root, since the escape sequences must reach the tty itself, not the journal.)
ExecStartPre=-+/bin/sh -c 'setterm --term linux --blank 0 --powersave off --powerdown 0 >/dev/tty1'
# cage: -d no client decorations; no -s, so Ctrl+Alt+F1…F12 do nothing (no VT switching, no way to a shell).
# A self-update that does not start 3 times goes back to the release before it (start-guard.sh).
ExecStartPre=-$PREFIX/start-guard.sh $PREFIX
ExecStart=/usr/bin/cage -d -- $EXEC --mode kiosk
Restart=always
RestartSec=2
# Sandboxing. Not PrivateDevices (cage needs /dev/dri, /dev/input, the tty) and not MemoryDenyWriteExecute
# (the QML JIT and cffi need writable+executable pages).
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
# The virtual keyboard's learned words live in a temp dir: private to the session, gone when it ends.
PrivateTmp=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
SystemCallArchitectures=native
CapabilityBoundingSet=
UMask=0077

[Install]
WantedBy=graphical.target
UNITFILE

put 0644 /etc/pam.d/campus-kiosk <<'PAM'
# PAM stack of campus-kiosk.service: no authentication (systemd starts the session), a logind session.
account  required pam_unix.so
session  required pam_loginuid.so
session  required pam_unix.so
session  required pam_systemd.so
PAM

# No way out: Ctrl+Alt+Del does not reboot, SysRq is off, no spare text consoles to switch to.
link /dev/null /etc/systemd/system/ctrl-alt-del.target
put 0644 /etc/sysctl.d/90-campus-kiosk.conf <<'SYSCTL'
# Campus Kiosk: no magic SysRq keys on a public terminal.
kernel.sysrq = 0
SYSCTL
put 0644 /etc/systemd/logind.conf.d/campus-kiosk.conf <<'LOGIND'
# Campus Kiosk: no getty on other VTs (cage forbids switching anyway); the power key does nothing.
[Login]
NAutoVTs=0
ReserveVT=0
HandlePowerKey=ignore
LOGIND

if [ "$SYSTEM" = 1 ]; then
    if ! id "$KIOSK_USER" >/dev/null 2>&1; then
        # A system user: no password (locked), no login shell, home under /run (created per session).
        run useradd --system --user-group --no-create-home --home-dir /run/campus-kiosk-home \
            --shell /usr/sbin/nologin --comment "Campus Kiosk session" "$KIOSK_USER"
        record "user:$KIOSK_USER"
    fi
    # The kiosk updates itself (releases/ and the `current` link): the install is its user's, like its store.
    run chown -R "$KIOSK_USER:$KIOSK_USER" "$PREFIX"
    # cage needs the GPU and input devices; logind grants them to the active session, the groups are a fallback.
    run usermod -a -G video,input,render "$KIOSK_USER" 2>/dev/null || run usermod -a -G video,input "$KIOSK_USER"
    enroll_code
    run sysctl -q -p /etc/sysctl.d/90-campus-kiosk.conf || true
    run systemctl daemon-reload
    run systemctl set-default graphical.target
    run systemctl enable "$UNIT"
    say "kiosk installed: reboot, or: systemctl start $UNIT"
else
    enroll_code
    say "kiosk files written under $DESTDIR (no user, no systemctl: DESTDIR install)"
fi
