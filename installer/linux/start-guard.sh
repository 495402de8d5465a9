#!/bin/sh
# campus-kiosk.service's ExecStartPre: automatic rollback of a self-update that does not start.
#   start-guard.sh PREFIX      (PREFIX: the install, with releases/ and the `current` link)
# kiosk/services/updates.py's apply() writes PREFIX/releases/.trial ("<new> <previous> <starts>") as it switches
# `current` to a new release; the app removes it (confirm) once it has run a minute. Each start of the unit runs
# this first: while the trial stands it counts the start; the start after MAX of them (the release never got
# to confirm: it crashed, hung before its first frame and was killed, or quit) points `current` back at the
# previous release and appends the version to releases/.bad, which the app then never fetches again.
# Plain sh on purpose: it must work whatever state the new release is in. It never fails the start.
PREFIX="${1:-/opt/campus-kiosk}"
MAX="${CAMPUS_KIOSK_MAX_TRIAL_STARTS:-3}"
REL="$PREFIX/releases"
TRIAL="$REL/.trial"
[ -f "$TRIAL" ] || exit 0
read -r version previous starts <"$TRIAL" || true
safe() { case "$1" in ''|.*|*/*|*[!0-9A-Za-z.+_-]*) return 1 ;; esac; }
if ! safe "$version" || ! safe "$previous"; then
    echo "start-guard: unreadable $TRIAL, removed" >&2
    rm -f "$TRIAL"
    exit 0
fi
current="$(readlink "$PREFIX/current" 2>/dev/null)"
if [ "${current##*/}" != "$version" ]; then  # switched again meanwhile: this trial is over
    rm -f "$TRIAL"
    exit 0
fi
case "$starts" in ''|*[!0-9]*) starts=0 ;; esac
if [ "$starts" -ge "$MAX" ]; then
    if [ -x "$REL/$previous/campus-kiosk" ]; then
        ln -sfn "releases/$previous" "$PREFIX/current.rollback" && mv -T "$PREFIX/current.rollback" "$PREFIX/current"
        echo "$version" >>"$REL/.bad"
        rm -f "$TRIAL"
        echo "start-guard: release $version did not start $MAX times: back to $previous" >&2
    else
        echo "start-guard: release $version did not start $MAX times, but $previous is gone: kept" >&2
        rm -f "$TRIAL"
    fi
    exit 0
fi
echo "$version $previous $((starts + 1))" >"$TRIAL.tmp" && mv "$TRIAL.tmp" "$TRIAL"
echo "start-guard: release $version on trial, start $((starts + 1)) of $MAX" >&2
exit 0
