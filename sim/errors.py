"""The one error type users see.

Anything wrong with a file, a scenario value or a command-line argument raises `InputError`
with a single line naming the file, the key and what is allowed. The CLI prints that line and
exits with code 2; nothing else is printed and no output directory is left behind.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad user input: `where` is the file (or 'command line'), `key` the offending key."""

    def __init__(self, where: str, key: str, message: str):
        self.where, self.key, self.message = str(where), key, message
        super().__init__(f"{self.where}: {key}: {message}" if key else f"{self.where}: {message}")
