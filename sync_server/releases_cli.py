"""`campus-sync-server releases add|list|rollout|pause`: client bundle releases and their roll-out per device
group (docs/deploy.md, "Updates"). Kept apart from cli.py so the command's parser and its work are one file."""

from __future__ import annotations

import argparse
import json
import sys

from sync_server.core.config import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    releases = sub.add_parser("releases", parents=[common], help="client bundle releases, rolled out per device group")
    what = releases.add_subparsers(dest="releases_command", required=True)
    add = what.add_parser("add", parents=[common], help="register a bundle archive (.tar.gz) terminals may download")
    add.add_argument("--version", required=True, help="its version, e.g. 0.2.0 (as build.json says)")
    add.add_argument("--url", required=True, help="where terminals download it (https://…/campus-kiosk-0.2.0.tar.gz)")
    add.add_argument("--sha256", required=True, help="the archive's SHA-256 (sha256sum)")
    add.add_argument("--notes", default="", help="what changed, for IT")
    listing = what.add_parser("list", parents=[common], help="the releases and the rollouts")
    listing.add_argument("--json", action="store_true")
    for name, text in (("rollout", "offer a release to a device group"), ("pause", "stop offering a group's rollout")):
        cmd = what.add_parser(name, parents=[common], help=text)
        if name == "rollout":
            cmd.add_argument("version")
        target = cmd.add_mutually_exclusive_group(required=True)
        target.add_argument("--group", help="the device group (devices enroll --group)")
        target.add_argument("--all", action="store_true", help="every group without a rollout of its own")


def run(settings: Settings, args: argparse.Namespace) -> int:
    from sync_server.core import releases
    from sync_server.core.errors import DomainError
    from sync_server.db import Database
    from sync_server.startup import init_db

    init_db(settings)
    db = Database(settings.db_url)
    group = None if getattr(args, "all", False) else getattr(args, "group", None)
    try:
        with db.transaction() as session:
            if args.releases_command == "add":
                made = releases.add(session, version=args.version, url=args.url, sha256=args.sha256, notes=args.notes)
                print(
                    f"已登记版本 {made.version}；推送：campus-sync-server releases rollout {made.version} --group 分组"
                )
            elif args.releases_command == "rollout":
                row = releases.rollout(session, version=args.version, group=group)
                print(f"已推送 {row.version} 到 {_group_name(row.group_name)}")
            elif args.releases_command == "pause":
                row = releases.pause(session, group=group)
                print(f"已暂停 {_group_name(row.group_name)} 的推送（{row.version}）")
            else:
                found = releases.catalogue(session)
                rows = [
                    {"version": r.version, "url": r.url, "sha256": r.sha256, "notes": r.notes} for r in found.releases
                ]
                rollouts = [
                    {"group": r.group_name, "version": r.version, "paused": r.paused}
                    for r in sorted(found.rollouts.values(), key=lambda r: r.group_name)
                ]
                if args.json:
                    print(json.dumps({"releases": rows, "rollouts": rollouts}, ensure_ascii=False, indent=1))
                else:
                    for r in rows:
                        print(f"{r['version']}\t{r['sha256'][:12]}…\t{r['url']}")
                    for o in rollouts:
                        print(f"{_group_name(str(o['group']))}\t→ {o['version']}{'（已暂停）' if o['paused'] else ''}")
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        db.dispose()
    return 0


def _group_name(group: str) -> str:
    from sync_server.core.releases import ALL_GROUPS

    return "所有分组" if group == ALL_GROUPS else f"分组 {group}"
