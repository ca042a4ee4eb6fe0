#!/usr/bin/env python3
"""Boots a small Linux guest under QEMU (TCG), runs tools/real-kernel/probe.c in it, and dumps the
guest's physical memory over QMP twice: once while the probe spins after mapping its memory, once
after it changed its mappings. Standard library only.

    guest.py WORKDIR [--memory 512M] [--kernel /boot/vmlinuz-...] [--cpu qemu64]

Writes WORKDIR/dump-1.elf, WORKDIR/dump-2.elf and WORKDIR/report.json:
  {"phases": [{"cr3": "0x...", "rip": "0x...", "dump": PATH, "pages": [["0xVA", "0xPFN"], ...],
               "maps": [LINE, ...], "dumpSeconds": S}, ...],
   "changes": [{"kind": "unmapped|protected|mapped", "va": "0x...", "pages": N}, ...],
   "bootSeconds": S, "kernel": PATH, "memory": "512M", "cpu": "qemu64"}
Exits non-zero with a message naming the stage when anything fails (the guest's console is in
WORKDIR/console.log)."""
import argparse, glob, json, os, re, shutil, socket, subprocess, sys, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
INIT = """#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
echo madvise > /sys/kernel/mm/transparent_hugepage/enabled
echo INIT READY
exec /probe
"""


def fail(stage, message):
    sys.stderr.write(f"guest.py: {stage}: {message}\n")
    sys.exit(1)


def required_tool(name, package):
    path = shutil.which(name)
    if path is None:
        fail("tools", f"'{name}' is missing: install the Debian package {package} (.ci/run does)")
    return path


def build_initramfs(work):
    gcc = required_tool("gcc", "gcc (with libc6-dev)")
    cpio = required_tool("cpio", "cpio")
    busybox = "/bin/busybox"
    if not os.path.exists(busybox):
        fail("tools", "/bin/busybox is missing: install the Debian package busybox-static (.ci/run does)")
    root = os.path.join(work, "initramfs")
    shutil.rmtree(root, ignore_errors=True)
    for folder in ("bin", "proc", "sys", "dev"):
        os.makedirs(os.path.join(root, folder))
    shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
    for applet in ("sh", "mount", "echo", "sleep", "cat"):
        os.symlink("busybox", os.path.join(root, "bin", applet))
    with open(os.path.join(root, "init"), "w") as init:
        init.write(INIT)
    os.chmod(os.path.join(root, "init"), 0o755)
    built = subprocess.run([gcc, "-static", "-O1", "-o", os.path.join(root, "probe"), os.path.join(HERE, "probe.c")],
                           capture_output=True, text=True)
    if built.returncode != 0:
        fail("build", f"gcc -static failed (install libc6-dev):\n{built.stderr}")
    image = os.path.join(work, "initramfs.cpio")
    names = subprocess.run(["find", "."], cwd=root, capture_output=True, text=True, check=True).stdout
    with open(image, "wb") as output:
        packed = subprocess.run([cpio, "-o", "-H", "newc", "--quiet"], cwd=root, input=names.encode(), stdout=output,
                                stderr=subprocess.PIPE)
    if packed.returncode != 0:
        fail("build", f"cpio failed: {packed.stderr.decode(errors='replace')}")
    return image


class Console:
    """The guest's serial console on QEMU's standard input and output, logged to a file."""

    def __init__(self, process, log_path):
        self.process = process
        self.lines = []
        self.condition = threading.Condition()
        self.log = open(log_path, "w", errors="replace")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.process.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            self.log.write(line + "\n")
            self.log.flush()
            with self.condition:
                self.lines.append(line)
                self.condition.notify_all()
        with self.condition:
            self.lines.append(None)
            self.condition.notify_all()

    def wait_for(self, text, timeout, stage):
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                if None in self.lines:
                    fail(stage, f"QEMU exited before the console printed '{text}' (see console.log)")
                if any(line == text for line in self.lines):
                    return
                left = deadline - time.monotonic()
                if left <= 0:
                    fail(stage, f"the console did not print '{text}' within {timeout} s (see console.log)")
                self.condition.wait(left)

    def send(self, text):
        self.process.stdin.write(text.encode())
        self.process.stdin.flush()


class QMP:
    def __init__(self, path, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.socket.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    fail("qmp", f"cannot connect to {path}")
                time.sleep(0.05)
        self.socket.settimeout(120)
        self.reader = self.socket.makefile("rb")
        self._message()
        self.command("qmp_capabilities")

    def _message(self):
        line = self.reader.readline()
        if not line:
            fail("qmp", "QEMU closed the QMP socket")
        return json.loads(line)

    def command(self, name, **arguments):
        request = {"execute": name}
        if arguments:
            request["arguments"] = arguments
        self.socket.sendall(json.dumps(request).encode() + b"\n")
        while True:
            message = self._message()
            if "error" in message:
                fail("qmp", f"{name}: {message['error']}")
            if "return" in message:
                return message["return"]

    def registers(self):
        text = self.command("human-monitor-command", **{"command-line": "info registers"})
        values = {}
        for name in ("RIP", "CR3", "CR4", "CR0"):
            match = re.search(rf"\b{name}=([0-9a-fA-F]+)", text)
            if not match:
                fail("registers", f"'info registers' has no {name}:\n{text}")
            values[name] = int(match.group(1), 16)
        cpl = re.search(r"\bCPL=(\d)", text)
        if not cpl:
            fail("registers", f"'info registers' has no CPL:\n{text}")
        values["CPL"] = int(cpl.group(1))
        return values


def probe_text(lines, phase):
    for line in lines:
        if line and line.startswith(f"MAPS {phase} ") and " r-xp " in line and line.endswith("/probe"):
            start, end = line.split()[2].split("-")
            return int(start, 16), int(end, 16)
    fail("console", f"the probe's phase-{phase} maps name no executable /probe area")


def capture(qmp, console, phase, work):
    """Stops the guest while the probe runs in user space, then dumps its memory."""
    text = probe_text(console.lines, phase)
    for _ in range(400):
        qmp.command("stop")
        registers = qmp.registers()
        if registers["CPL"] == 3 and text[0] <= registers["RIP"] < text[1]:
            break
        qmp.command("cont")
        time.sleep(0.02)
    else:
        fail("capture", "the probe was never seen running in user space (CPL=3, RIP in /probe)")
    path = os.path.join(work, f"dump-{phase}.elf")
    if os.path.exists(path):
        os.unlink(path)
    started = time.monotonic()
    qmp.command("dump-guest-memory", paging=False, protocol=f"file:{path}")
    seconds = time.monotonic() - started
    qmp.command("cont")
    pages = [line.split()[2:4] for line in console.lines if line and line.startswith(f"PAGE {phase} ")]
    maps = [line.split(" ", 2)[2] for line in console.lines if line and line.startswith(f"MAPS {phase} ")]
    return {"cr3": hex(registers["CR3"]), "cr4": hex(registers["CR4"]), "rip": hex(registers["RIP"]), "dump": path,
            "pages": [["0x" + va, "0x" + pfn] for va, pfn in pages], "maps": maps, "dumpSeconds": round(seconds, 3)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("work")
    parser.add_argument("--memory", default="512M")
    parser.add_argument("--kernel")
    parser.add_argument("--cpu", default="qemu64")
    options = parser.parse_args()
    os.makedirs(options.work, exist_ok=True)
    qemu = required_tool("qemu-system-x86_64", "qemu-system-x86")
    kernel = options.kernel or next(iter(sorted(glob.glob("/boot/vmlinuz-*-cloud-amd64"))), None)
    if kernel is None:
        fail("tools", "no /boot/vmlinuz-*-cloud-amd64: install the Debian package linux-image-cloud-amd64 (.ci/run does)")
    if not os.access(kernel, os.R_OK):
        fail("tools", f"{kernel} is not readable by this user (Debian installs kernels mode 0600): run as root or pass --kernel A_READABLE_COPY")
    initramfs = build_initramfs(options.work)
    qmp_path = os.path.join(options.work, "qmp.sock")
    if os.path.exists(qmp_path):
        os.unlink(qmp_path)
    started = time.monotonic()
    process = subprocess.Popen(
        [qemu, "-accel", "tcg", "-cpu", options.cpu, "-m", options.memory, "-smp", "1", "-kernel", kernel,
         "-initrd", initramfs, "-append", "console=ttyS0 nokaslr panic=-1 quiet no_timer_check", "-display", "none",
         "-serial", "stdio", "-monitor", "none", "-no-reboot", "-qmp", f"unix:{qmp_path},server=on,wait=off"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        console = Console(process, os.path.join(options.work, "console.log"))
        qmp = QMP(qmp_path, 30)
        console.wait_for("READY 1", 120, "boot")
        boot = time.monotonic() - started
        first = capture(qmp, console, 1, options.work)
        console.send("go\n")
        console.wait_for("READY 2", 60, "change")
        second = capture(qmp, console, 2, options.work)
        changes = []
        for line in console.lines:
            if line and line.startswith("CHANGE "):
                fields = line.split()
                changes.append({"kind": fields[1], "va": "0x" + fields[2], "pages": int(fields[3])})
        report = {"phases": [first, second], "changes": changes, "bootSeconds": round(boot, 3), "kernel": kernel,
                  "memory": options.memory, "cpu": options.cpu}
        with open(os.path.join(options.work, "report.json"), "w") as output:
            json.dump(report, output, indent=1)
        qmp.command("quit")
    finally:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
