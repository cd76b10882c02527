"""Holds a Linux write lease on FILE: another process that opens FILE waits inside open() until the lease is let go.

The e2e test uses it to hold the bot's reload inside its real read of an article file, for exactly as long as the
test wants, instead of hoping a large file keeps the reload busy long enough. Prints `held` once the lease is taken,
`opened` when another process starts opening the file (the kernel signals the holder), and lets go on any line or
EOF on stdin (printing `released`). The kernel lets go by itself after /proc/sys/fs/lease-break-time (45 s).

    python3 test/hold-file.py FILE
"""
import fcntl
import os
import signal
import sys

F_SETLEASE = getattr(fcntl, "F_SETLEASE", 1024)

fd = os.open(sys.argv[1], os.O_RDONLY)
signal.signal(signal.SIGIO, lambda _signum, _frame: print("opened", flush=True))
fcntl.fcntl(fd, F_SETLEASE, fcntl.F_WRLCK)
print("held", flush=True)
sys.stdin.readline()
fcntl.fcntl(fd, F_SETLEASE, fcntl.F_UNLCK)
os.close(fd)
print("released", flush=True)
