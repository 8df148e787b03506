"""The fault tests' SMS gateway: each text accepted is a line (the sending process's id and
the number it went to) appended to the file FAULTS_SMS_LOG names, so that a test counts what
every process sent, even one it killed.

FAULTS_SMS_HANG_AT=N makes the Nth text of a process hang before the gateway accepts it (a
file `<log>.hung` says so), as a gateway that stops answering would: the test then kills the
process mid-sweep, at a moment it knows."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import ClassVar

from botoxcare.messaging import SMSBackend


class RecordingSMSBackend(SMSBackend):
    tried: ClassVar[int] = 0  # texts this process tried to send

    def send(self, *, to: str, body: str) -> None:
        log = Path(os.environ["FAULTS_SMS_LOG"])
        RecordingSMSBackend.tried += 1
        if RecordingSMSBackend.tried == int(os.environ.get("FAULTS_SMS_HANG_AT", "0")):
            Path(f"{log}.hung").write_text(to)
            while True:  # until the test kills the process
                signal.pause()
        # One write of one short line with O_APPEND: whole, whatever else writes the file.
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{os.getpid()} {to}\n".encode())
        finally:
            os.close(fd)


def sent(log: Path) -> list[tuple[int, str]]:
    """(process id, number) of each text, in the order the gateway took them."""
    lines = log.read_text().splitlines() if log.exists() else []
    return [(int(pid), to) for pid, to in (line.split(" ", 1) for line in lines)]
