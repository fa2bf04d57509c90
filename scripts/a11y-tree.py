#!/usr/bin/python3
"""Prints the accessibility tree of the running pushlab window, as a screen reader sees it.

Run inside the session set up by scripts/a11y-tree.sh. Lists every node with its role and
accessible name, and ends with the interactive controls that have no name (nobody can find
those: no screen reader, no test)."""
import sys
import time

import pyatspi

INTERACTIVE = {"push button", "text", "entry", "check box", "radio button", "combo box",
               "toggle button", "slider", "spin button", "menu item", "link", "page tab"}


def find_app(deadline):
    while time.time() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and "pushlab" in (app.name or "").lower():
                return app
        time.sleep(0.5)
    return None


def walk(node, depth, unnamed, lines):
    try:
        role = node.getRoleName()
        name = node.name or ""
    except Exception:  # a node that vanished while we walked
        return
    lines.append(f"{'  ' * depth}{role}: {name!r}")
    if role in INTERACTIVE and not name.strip():
        unnamed.append(role)
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            walk(child, depth + 1, unnamed, lines)


def main():
    app = find_app(time.time() + 60)
    if app is None:
        print("no pushlab window on the accessibility bus", file=sys.stderr)
        return 2
    lines, unnamed = [], []
    walk(app, 0, unnamed, lines)
    print("\n".join(lines))
    print(f"\n{len(lines)} nodes; interactive controls without a name: {len(unnamed)} {unnamed}")
    return 1 if unnamed else 0


if __name__ == "__main__":
    sys.exit(main())
