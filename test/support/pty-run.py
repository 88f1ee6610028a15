"""Runs a command on a pseudo-terminal, types KEYS once TEXT appears in its output, and prints
{"output", "code", "signal"} as JSON: how the CLI's prompt is tested, since Node has no pty of its own.

Usage: python3 pty-run.py TEXT KEYS -- COMMAND [ARG...]   (KEYS takes escapes: '\\x03' is Ctrl-C)
"""
import json
import os
import pty
import select
import sys
import time

text = sys.argv[1].encode()
keys = sys.argv[2].encode().decode("unicode_escape").encode()
command = sys.argv[4:]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

output = b""
sent = False
deadline = time.time() + 20
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the command ended and closed the terminal
            data = b""
        if not data:
            break
        output += data
    if not sent and text in output:
        time.sleep(0.2)
        os.write(fd, keys)
        sent = True
else:
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
print(json.dumps({
    "output": output.decode(errors="replace"),
    "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
    "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
}))
