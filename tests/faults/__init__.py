"""The seeded fault harness: kiosk processes, a fault proxy and a real server, and the checks of the seven
sync guarantees after healing (docs/faults.md)."""
