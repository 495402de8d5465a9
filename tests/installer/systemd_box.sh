#!/bin/sh
# A throw-away machine for a real systemd, used by test_systemd_box.py: run as root under
#   unshare --pid --fork --mount --net --uts --ipc --propagation private tests/installer/systemd_box.sh BOX UNIT...
# BOX is a scratch dir. The root file system is an overlay of / with a tmpfs on top, so nothing systemd or the
# units do reaches the host (a boot's tmpfiles run, /etc/passwd, /var/lib…): the namespace and the tmpfs go
# away with PID 1. Every unit enabled on the host is masked; systemd boots box.target, which wants UNIT…
# (copied in from $BOX/units/). $BOX/out is bind-mounted at /srv/out for the units to report through.
# PID 1 exits when a unit runs `systemctl poweroff`; the caller's timeout is the backstop.
set -eu
BOX="$1"; shift
R="$BOX/root"
mkdir -p "$BOX/layers" "$R" "$BOX/out"
mount -t tmpfs tmpfs "$BOX/layers"
mkdir -p "$BOX/layers/upper" "$BOX/layers/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$BOX/layers/upper,workdir=$BOX/layers/work" "$R"
mount -t proc proc "$R/proc"
mount -t sysfs sysfs "$R/sys"
mount -t cgroup2 cgroup2 "$R/sys/fs/cgroup"
mount -t tmpfs tmpfs "$R/run"
mount --rbind /dev "$R/dev"
mkdir -p "$R/srv/out"
mount --bind "$BOX/out" "$R/srv/out"
# Only the units under test: whatever the host has enabled stays off (multi-user.target is not booted).
for unit in "$R"/etc/systemd/system/*.wants/* "$R"/etc/systemd/system/sysinit.target.wants/*; do
    [ -e "$unit" ] || [ -L "$unit" ] || continue
    ln -sf /dev/null "$R/etc/systemd/system/$(basename "$unit")"
done
for unit in systemd-tmpfiles-setup.service systemd-tmpfiles-clean.timer systemd-udevd.service \
            systemd-udev-trigger.service getty@tty1.service console-getty.service; do
    ln -sf /dev/null "$R/etc/systemd/system/$unit"
done
# $BOX/binds: "HOST_DIR BOX_DIR" lines, bind-mounted read-only (the project and its Python packages).
if [ -f "$BOX/binds" ]; then
    while read -r host inside; do
        mkdir -p "$R$inside"
        mount --bind "$host" "$R$inside"
        mount -o remount,bind,ro "$R$inside"
    done <"$BOX/binds"
fi
cp "$BOX"/units/* "$R/etc/systemd/system/"
printf '[Unit]\nDescription=systemd box\nWants=%s\n' "$*" >"$R/etc/systemd/system/box.target"
exec chroot "$R" /lib/systemd/systemd --system --unit=box.target
