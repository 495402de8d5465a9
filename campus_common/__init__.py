"""What the kiosk and the sync server must agree on, written once: both import it, neither imports the other.

Form schemas and their validation (`forms`), the password policy (`password_policy`), how a terminal signs the
operations it queues (`op_signing`), the operation types (`ops`), status and action names (`statuses`) and who
may use a process (`audience`). Plain Python; its only dependency is jsonschema (for `forms`).
"""
