#!/usr/bin/env python3
"""Test harness: host unit tests plus kernel boots under QEMU.

Each boot builds a GRUB ISO with its own kernel command line, runs QEMU
(TCG, headless, serial to a log file) with a time limit as the hang
detector, and turns what the serial log shows into named results.  Every
result is one line "PASS name" or "FAIL name: why"; the last line is
"N passed, N failed".  Logs are kept in build/test-logs/.

Usage: test/harness.py [-k SUBSTRING] [-v]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
LOGS = os.path.join(BUILD, "test-logs")
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"


class Results:
    def __init__(self, verbose):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.verbose = verbose

    def known_failure(self, name, why):
        """A test listed in a known-failures file that still fails: it is
        not a pass; it is reported and counted as skipped."""
        self.skipped += 1
        print("XFAIL %s: %s" % (name, why), flush=True)

    def skip(self, name, why):
        """A group that did not run (switched off): counted as skipped."""
        self.skipped += 1
        print("SKIP %s: %s" % (name, why), flush=True)

    def record(self, name, ok, why=""):
        if ok:
            self.passed += 1
            print("PASS %s" % name, flush=True)
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, ": " + why if why else ""), flush=True)


def run_host_tests(results, selected):
    hostdir = os.path.join(BUILD, "host")
    for prog in sorted(os.listdir(hostdir)):
        path = os.path.join(hostdir, prog)
        if not os.access(path, os.X_OK) or prog.endswith(".d"):
            continue
        if not selected("host/" + prog):
            continue
        proc = subprocess.run([path], capture_output=True, text=True,
                              timeout=300)
        cases = 0
        for line in proc.stdout.splitlines():
            m = re.match(r"(not ok|ok) - (.*)", line)
            if not m:
                continue
            cases += 1
            results.record("host/%s: %s" % (prog, m.group(2)),
                           m.group(1) == "ok")
        if proc.returncode != 0 or cases == 0:
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
            results.record("host/%s exits cleanly" % prog, False,
                           "exit %d, %d cases; %s" % (proc.returncode, cases,
                                                      " | ".join(tail)))


def make_iso(name, cmdline, initramfs=None, kernel=None):
    iso = os.path.join(BUILD, "test-iso", name + ".iso")
    os.makedirs(os.path.dirname(iso), exist_ok=True)
    subprocess.run([os.path.join(ROOT, "scripts/mkiso.sh"), iso,
                    kernel or os.path.join(BUILD, "kernel.elf"),
                    initramfs or os.path.join(BUILD, "initramfs.cpio"),
                    cmdline],
                   check=True)
    return iso


def qemu_command(iso, firmware, machine, memory, logfile, extra=()):
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", memory,
           "-machine", machine, "-display", "none", "-no-reboot",
           "-serial", "file:" + logfile, "-monitor", "none",
           "-cdrom", iso] + list(extra)
    if firmware == "uefi":
        vars_copy = logfile + ".vars.fd"
        shutil.copyfile(OVMF_VARS, vars_copy)
        cmd += ["-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                "-drive", "if=pflash,format=raw,file=" + vars_copy]
    return cmd


def boot(name, cmdline, firmware="bios", machine="pc", memory="512M",
         timeout=120, stop_when=None, initramfs=None, kernel=None,
         qemu_extra=()):
    """Boot a kernel; return (serial log text, exited_by_itself, seconds).

    stop_when: a regex; once the log matches it QEMU is stopped (for boots
    that end in an idle kernel rather than a power off).
    qemu_extra: more QEMU options.
    """
    os.makedirs(LOGS, exist_ok=True)
    iso = make_iso(name, cmdline, initramfs, kernel)
    logfile = os.path.join(LOGS, name + ".log")
    if os.path.exists(logfile):
        os.unlink(logfile)
    start = time.monotonic()
    proc = subprocess.Popen(qemu_command(iso, firmware, machine, memory,
                                         logfile, qemu_extra),
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    exited = False
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            exited = True
            break
        if stop_when and os.path.exists(logfile):
            with open(logfile, errors="replace") as f:
                if re.search(stop_when, f.read()):
                    break
        time.sleep(0.2)
    if not exited:
        proc.kill()
    proc.wait()
    with open(logfile, errors="replace") as f:
        log = f.read().replace("\r", "")
    return log, exited, time.monotonic() - start


def check_ktests(results, label, log, exited):
    """One result per KTEST line, plus the summary and clean power off."""
    seen = {}
    for m in re.finditer(r"KTEST (\S+): (PASS|FAIL)(.*)", log):
        seen[m.group(1)] = (m.group(2) == "PASS", m.group(3).strip())
    started = re.findall(r"KTEST (\S+): start", log)
    for name in started:
        if name not in seen:
            seen[name] = (False, "did not finish (hang or crash); see log")
    for name, (ok, why) in seen.items():
        results.record("%s: ktest %s" % (label, name), ok, why)
    summary = re.search(r"KTEST summary: (\d+) passed, (\d+) failed", log)
    results.record("%s: ktest run completes" % label, bool(summary) and
                   len(seen) > 0, "no summary line")
    return summary


def boot_ktests(results, label, firmware, machine, memory="512M",
                kernel=None):
    log, exited, secs = boot("ktest-" + label,
                             "console=ttyS0 loglevel=7 ktest=all "
                             "ktest_done=poweroff panic=-1",
                             firmware=firmware, machine=machine,
                             memory=memory, kernel=kernel)
    check_ktests(results, label, log, exited)
    results.record("%s: ACPI power off ends QEMU" % label,
                   exited and "KTEST summary" in log and "Kernel panic" not in log,
                   "QEMU still running after the tests" if not exited else
                   "panic or no summary")


def boot_debug_kernel(results):
    """The in-kernel tests again on a KERNEL_DEBUG kernel (heap poisoning
    and redzones, DEBUG_ASSERT)."""
    proc = subprocess.run([os.path.join(ROOT, "scripts/build-debug-kernel.sh")],
                          capture_output=True, text=True)
    results.record("debug-kernel: builds", proc.returncode == 0,
                   (proc.stdout + proc.stderr).strip()[-300:])
    if proc.returncode == 0:
        boot_ktests(results, "debug-kernel", "bios", "pc",
                    kernel=os.path.join(ROOT, "build-debug", "kernel.elf"))


def boot_reboot(results, label, machine, method_note):
    """ktest_done=reboot must reset the machine (QEMU -no-reboot exits)."""
    log, exited, secs = boot("reboot-" + label,
                             "console=ttyS0 ktest=format_in_kernel "
                             "ktest_done=reboot", machine=machine)
    results.record("%s: reboot ends QEMU (%s)" % (label, method_note),
                   exited and "power: rebooting" in log and
                   "Kernel panic" not in log and
                   "did not reset" not in log)


def boot_banner(results, label, firmware, machine):
    """The boot command's view: banner, memory map, ticks, idle."""
    log, exited, secs = boot("boot-" + label, "console=ttyS0 loglevel=7",
                             firmware=firmware, machine=machine,
                             stop_when=r"timer: \d+ ticks at 3 s")
    checks = [
        ("kernel banner", r"kernel \S+ \(x86_64\) booting"),
        ("memory map summary", r"memory: \d+ MiB usable"),
        ("the initramfs module", r"initramfs: \d+ bytes at 0x[0-9a-f]+, \d+ entries"),
        ("timer ticks", r"timer: \d+ ticks at 3 s"),
        ("idle without panic", r"idle"),
    ]
    for what, pattern in checks:
        results.record("%s: boot shows %s" % (label, what),
                       re.search(pattern, log) is not None and
                       "Kernel panic" not in log)


def boot_fault(results, label, test, symbol, expect):
    log, exited, secs = boot("fault-" + test,
                             "console=ttyS0 ktest=%s panic=-1" % test)
    results.record("%s: report names the exception" % label,
                   re.search(expect, log) is not None)
    results.record("%s: symbolized backtrace shows %s" % (label, symbol),
                   re.search(r"Call Trace:\n(.*\n)*.*\] %s[.\w]*\+0x" % symbol, log)
                   is not None)
    results.record("%s: panics and reboots (panic=-1)" % label,
                   "Kernel panic - not syncing" in log and exited)


def boot_root_missing(results):
    """root= naming a device that does not exist, with no init in the
    initramfs: the kernel says which root it could not mount and panics
    (without rootwait it does not wait for the device)."""
    log, exited, secs = boot("root-missing",
                             "console=ttyS0 root=/dev/vda1 ro panic=-1",
                             timeout=60)
    results.record("root-missing: names the root it cannot mount",
                   re.search(r"VFS: Unable to mount root fs on /dev/vda1 "
                             r"\(error -\d+\)", log) is not None)
    results.record("root-missing: panics and reboots (panic=-1)",
                   "Kernel panic - not syncing" in log and exited)
    # A disk that is there (found through its /dev node, rootwait does not
    # wait) but holds nothing a file system type accepts.
    img = os.path.join(BUILD, "test-iso", "root-blank.img")
    os.makedirs(os.path.dirname(img), exist_ok=True)
    with open(img, "wb") as f:
        f.truncate(1 << 20)
    log, exited, secs = boot(
        "root-blank", "console=ttyS0 root=/dev/vda rootwait panic=-1",
        timeout=60, qemu_extra=[
            "-drive", "file=%s,format=raw,if=none,id=d0" % img,
            "-device", "virtio-blk-pci,drive=d0,disable-legacy=on"])
    results.record("root-missing: a blank disk is found and refused",
                   re.search(r"VFS: Unable to mount root fs on /dev/vda "
                             r"\(error -(19|22)\)", log) is not None)


def load_known_failures(path):
    """Names (one per line, '#' comments) expected to fail for now."""
    known = {}
    if os.path.exists(path):
        for line in open(path):
            line = line.split("#", 1)[0].strip()
            if line:
                known[line] = True
    return known


def check_user_suite(results, label, log, exited, prefix, known_path):
    """Parse '<PREFIX> name: PASS|FAIL (why)' lines from a user-space
    runner; tests in the known-failures file become XFAIL (skipped), and
    a listed test that passes is a failure (the list must be updated)."""
    known = load_known_failures(known_path)
    seen = set()
    for m in re.finditer(r"^%s (\S+): (PASS|FAIL)(.*)$" % prefix, log, re.M):
        name, ok, why = m.group(1), m.group(2) == "PASS", m.group(3).strip()
        seen.add(name)
        full = "%s: %s" % (label, name)
        if name in known:
            if ok:
                results.record(full, False, "passes now: remove it from %s"
                               % os.path.relpath(known_path, ROOT))
            else:
                results.known_failure(full, why)
        else:
            results.record(full, ok, why)
    summary = re.search(r"^%s summary: (\d+) passed, (\d+) failed" % prefix,
                        log, re.M)
    results.record("%s: runner completes" % label, bool(summary) and
                   len(seen) > 0, "no summary line (hang or crash?)")
    results.record("%s: powers off at the end" % label,
                   exited and "Kernel panic" not in log)


def busybox_host_oracle(results):
    """The BusyBox suite on the host's Linux with the very same binary:
    the expected outputs must hold there first."""
    import tempfile
    with tempfile.TemporaryDirectory() as bindir:
        applets = subprocess.run(["/bin/busybox", "--list"], check=True,
                                 capture_output=True, text=True).stdout.split()
        for a in applets:
            os.symlink("/bin/busybox", os.path.join(bindir, a))
        proc = subprocess.run(
            ["/bin/busybox", "sh", os.path.join(ROOT, "test/busybox/run-suite.sh"),
             os.path.join(ROOT, "test/busybox")],
            capture_output=True, text=True, timeout=300,
            env={"PATH": bindir, "HOME": "/"})
    for m in re.finditer(r"^BUSYBOX (\S+): (PASS|FAIL)(.*)((?:\n    .*)*)",
                         proc.stdout, re.M):
        if m.group(1) != "summary":
            # A failure carries the indented diff lines that follow it.
            results.record("busybox-host: %s" % m.group(1),
                           m.group(2) == "PASS",
                           (m.group(3) + m.group(4)).strip())


class SerialSession:
    """QEMU with the serial port on a pipe, driven like a terminal."""

    def __init__(self, name, cmdline, initramfs):
        import threading
        iso = make_iso(name, cmdline, initramfs)
        self.log = ""
        self.proc = subprocess.Popen(
            ["qemu-system-x86_64", "-accel", "tcg", "-m", "512M",
             "-display", "none", "-no-reboot", "-monitor", "none",
             "-serial", "stdio", "-cdrom", iso],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL)
        self.lock = threading.Lock()
        threading.Thread(target=self._reader, daemon=True).start()
        self.logfile = os.path.join(LOGS, name + ".log")

    def _reader(self):
        while True:
            data = self.proc.stdout.read1(4096)
            if not data:
                return
            with self.lock:
                self.log += data.decode(errors="replace").replace("\r", "")

    def expect(self, pattern, timeout=60, start=0):
        """Wait until @pattern appears after offset @start; returns the
        end offset of the match, or -1 on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                m = re.compile(pattern).search(self.log, start)
            if m:
                return m.end()
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        return -1

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def close(self, timeout=30):
        try:
            self.proc.wait(timeout=timeout)
            exited = True
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            exited = False
        with open(self.logfile, "w") as f:
            f.write(self.log)
        return exited


def boot_interactive_shell(results):
    """The boot command's shell: commands, Ctrl-C and Ctrl-Z job control,
    pipelines, and poweroff ending QEMU."""
    os.makedirs(LOGS, exist_ok=True)
    sh = SerialSession("interactive", "console=ttyS0 loglevel=4",
                       os.path.join(BUILD, "busybox-initramfs.cpio"))
    label = "shell"
    at = sh.expect(r"/ # ", timeout=120)
    results.record("%s: prompt appears" % label, at >= 0)
    if at < 0:
        sh.close(timeout=1)
        return
    sh.send("echo $((6 * 7))\n")
    at2 = sh.expect(r"\n42\n", start=at)
    results.record("%s: runs a command" % label, at2 >= 0)
    sh.send("printf 'b\\na\\n' | sort | tr ab xy\n")
    at3 = sh.expect(r"x\ny\n", start=max(at2, at))
    results.record("%s: pipeline" % label, at3 >= 0)
    sh.send("sleep 1000\n")
    time.sleep(3)
    sh.send("\x03")
    at4 = sh.expect(r"\^C\n.*/ # ", start=max(at3, at), timeout=30)
    sh.send("echo status=$?\n")
    at5 = sh.expect(r"status=130", start=max(at4, at), timeout=30)
    results.record("%s: Ctrl-C stops a foreground job" % label,
                   at4 >= 0 and at5 >= 0)
    sh.send("sleep 1000\n")
    time.sleep(3)
    sh.send("\x1a")
    at6 = sh.expect(r"Stopped\s+sleep 1000", start=max(at5, at), timeout=30)
    sh.send("jobs\n")
    at7 = sh.expect(r"\[1\]\+\s+Stopped\s+sleep 1000", start=max(at6, at),
                    timeout=30)
    sh.send("kill %1; fg; echo fg=$?\n")
    at8 = sh.expect(r"fg=143", start=max(at7, at), timeout=30)
    results.record("%s: Ctrl-Z stops a job, jobs lists it, fg resumes it"
                   % label, at6 >= 0 and at7 >= 0 and at8 >= 0)
    sh.send("poweroff\n")
    exited = sh.close(timeout=60)
    results.record("%s: poweroff ends QEMU" % label,
                   exited and "Kernel panic" not in sh.log)


def boot_busybox(results):
    log, exited, secs = boot("busybox", "console=ttyS0 loglevel=4 panic=-1",
                             memory="512M", timeout=600,
                             initramfs=os.path.join(
                                 BUILD, "busybox-test-initramfs.cpio"))
    check_user_suite(results, "busybox", log, exited, "BUSYBOX",
                     os.path.join(ROOT, "test/busybox/known-failures.txt"))


def record_lines(results, label, prefix, text, name=r"\S+"):
    """One result '<label>: <name>' per '<PREFIX> <name>: PASS|FAIL (why)'
    line of @text (the summary line aside); returns how many there were."""
    seen = 0
    for m in re.finditer(r"^%s (%s): (PASS|FAIL)(.*)$" % (prefix, name),
                         text, re.M):
        if m.group(1) != "summary":
            seen += 1
            results.record("%s: %s" % (label, m.group(1)),
                           m.group(2) == "PASS", m.group(3).strip())
    return seen


def distro_host_oracle(results, distro):
    """A distribution suite in a chroot of the very same image on the
    host's Linux: the expected outputs must hold there first."""
    image = os.path.join(BUILD, distro + "-test-initramfs.cpio")
    proc = subprocess.run([os.path.join(ROOT, "test", distro, "host-oracle"),
                           image], capture_output=True, text=True,
                          timeout=600)
    seen = record_lines(results, distro + "-host", distro.upper(),
                        proc.stdout)
    results.record("%s-host: suite ran" % distro, seen > 0,
                   proc.stderr.strip()[-300:])


def boot_distro(results, distro, memory):
    """A distribution's own root file system as the initramfs root, its
    suite run by /tests/<distro>/init: Alpine (musl, BusyBox, apk-tools
    installing from the local mirror, binutils) or Debian (glibc, bash,
    coreutils, perl, python3)."""
    log, exited, secs = boot(distro, "console=ttyS0 loglevel=4 panic=-1 "
                             "rdinit=/tests/%s/init" % distro, memory=memory,
                             timeout=1200, initramfs=os.path.join(
                                 BUILD, distro + "-test-initramfs.cpio"))
    check_user_suite(results, distro, log, exited, distro.upper(),
                     os.path.join(ROOT, "test", distro, "known-failures.txt"))


def contract_host_oracle(results):
    """Every contract test must pass on the host's Linux first."""
    for libc in ("musl", "glibc", "musl-dyn", "glibc-dyn"):
        runner = os.path.join(BUILD, "contract", "runner-" + libc.split("-")[0])
        proc = subprocess.run([runner, os.path.join(BUILD, "contract", libc)],
                              capture_output=True, text=True, timeout=1800)
        record_lines(results, "contract-host", "CONTRACT", proc.stdout)


def boot_contract(results):
    initramfs = os.path.join(BUILD, "contract-initramfs.cpio")
    if not os.path.exists(initramfs):
        results.record("contract: initramfs built", False, initramfs)
        return
    log, exited, secs = boot("contract", "console=ttyS0 loglevel=4 "
                             "rdinit=/init panic=-1", memory="1G",
                             timeout=1500, initramfs=initramfs)
    check_user_suite(results, "contract", log, exited, "CONTRACT",
                     os.path.join(ROOT, "test/contract/known-failures.txt"))


CONTRACT_EXT4_DIR = os.path.join(BUILD, "contract-ext4")


def fresh_ext4_image(path, size="512M"):
    if os.path.exists(path):
        os.unlink(path)
    subprocess.run(["mkfs.ext4", "-q", "-F", path, size], check=True,
                   capture_output=True)


def e2fsck_clean(results, label, image):
    """e2fsck -fn must find nothing to fix."""
    proc = subprocess.run(["e2fsck", "-fn", image], capture_output=True,
                          text=True)
    results.record("%s: e2fsck -fn clean" % label, proc.returncode == 0,
                   (proc.stdout + proc.stderr).strip()[-400:])


def contract_ext4(results):
    """The static musl contract tests with /tmp on a fresh ext4 file
    system (every file they make lives there): first on the host's Linux
    (a loop mount in a private mount namespace), then in this kernel
    (the runner mounts /dev/vda on /tmp, CONTRACT_TMP_DEV); after each
    run e2fsck -fn must find the image clean."""
    os.makedirs(CONTRACT_EXT4_DIR, exist_ok=True)
    host_img = os.path.join(CONTRACT_EXT4_DIR, "host.img")
    fresh_ext4_image(host_img)
    runner = os.path.join(BUILD, "contract", "runner-musl")
    tests = os.path.join(BUILD, "contract", "musl")
    # The build tree may itself lie below /tmp (a CI clone): it is bound
    # on a directory of /run first, so that the image on /tmp hides
    # nothing the runner needs.
    proc = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c",
         'b=$(mktemp -d /run/contract-ext4.XXXXXX) && '
         'mount --bind "$(dirname "$2")" "$b" && '
         'mount -o loop "$1" /tmp && chmod 1777 /tmp && '
         '"$b/$(basename "$2")" "$b/$3"; r=$?; umount /tmp; umount "$b"; '
         'rmdir "$b"; exit $r', "sh", host_img, runner,
         os.path.relpath(tests, os.path.dirname(runner))],
        capture_output=True, text=True, timeout=900)
    seen = record_lines(results, "contract-ext4-host", "CONTRACT",
                        proc.stdout)
    results.record("contract-ext4-host: suite ran", seen > 0,
                   proc.stderr.strip()[-300:])
    e2fsck_clean(results, "contract-ext4-host", host_img)
    initramfs = os.path.join(BUILD, "contract-initramfs.cpio")
    img = os.path.join(CONTRACT_EXT4_DIR, "guest.img")
    fresh_ext4_image(img)
    log, exited, secs = boot(
        "contract-ext4", "console=ttyS0 loglevel=4 rdinit=/init panic=-1 "
        "CONTRACT_TMP_DEV=/dev/vda -- /tests/musl", memory="1G",
        timeout=1200, initramfs=initramfs,
        qemu_extra=["-drive", "file=%s,format=raw,if=virtio" % img])
    check_user_suite(results, "contract-ext4", log, exited, "CONTRACT",
                     os.path.join(ROOT, "test/contract/known-failures.txt"))
    results.record("contract-ext4: mounted and unmounted the disk",
                   re.search(r"^CONTRACT ext4-mount: PASS", log, re.M) and
                   re.search(r"^CONTRACT ext4-umount: PASS", log, re.M),
                   "see build/test-logs/contract-ext4.log")
    e2fsck_clean(results, "contract-ext4", img)


BENCH_LINE = re.compile(r"^BENCH (\S+) (\S+) (ok|n/a|FAIL)(.*)$", re.M)


def bench_programs():
    with open(os.path.join(ROOT, "test", "bench", "programs")) as f:
        return [w for w in (l.split("#")[0].strip() for l in f) if w]


def bench_host_sanity(results):
    """The benchmark programs (test/bench) in quick mode on the host's
    Linux: every benchmark must run and report ok (the ext4 ones may say
    n/a when no ext4 directory is at hand).  Timing is never looked at.
    Returns the benchmark names seen, per libc."""
    env = dict(os.environ)
    ext4 = os.path.join(BUILD, "bench", "host-ext4")
    os.makedirs(ext4, exist_ok=True)
    fstype = subprocess.run(["stat", "-f", "-c", "%t", ext4],
                            capture_output=True, text=True).stdout.strip()
    if fstype == "ef53":
        env["BENCH_EXT4_DIR"] = ext4
    names = []
    for libc in ("musl", "glibc"):
        for prog in bench_programs():
            path = os.path.join(BUILD, "bench", libc, prog)
            proc = subprocess.run([path, "-q"], capture_output=True,
                                  text=True, timeout=300, cwd="/", env=env)
            seen = BENCH_LINE.findall(proc.stdout)
            for name, lc, status, rest in seen:
                names.append((libc, name))
                ok = status == "ok" or (status == "n/a" and
                                        name.startswith("ext4") and
                                        "BENCH_EXT4_DIR" not in env)
                results.record("bench-host: %s/%s" % (libc, name), ok,
                               status + rest)
            results.record("bench-host: %s/%s runs and exits 0" % (libc, prog),
                           proc.returncode == 0 and len(seen) > 0,
                           "exit %d, %d results; %s" % (
                               proc.returncode, len(seen),
                               proc.stderr.strip()[-200:]))
    return names


def boot_bench(results, names):
    """The benchmark initramfs in this kernel, quick mode, under -icount
    with the instruction-counting plugin: every benchmark seen on the host
    must run (ok, or n/a for a missing feature; FAILs in
    test/bench/known-failures.txt are XFAIL), and the plugin must have
    counted user and kernel instructions for each measured loop and seen
    /init's first instruction.  No timing or count is compared."""
    initramfs = os.path.join(BUILD, "bench-initramfs.cpio")
    plugin = os.path.join(BUILD, "bench", "bench-plugin.so")
    out = os.path.join(LOGS, "bench.plugin")
    os.makedirs(LOGS, exist_ok=True)
    if os.path.exists(out):
        os.unlink(out)
    log, exited, secs = boot(
        "bench", "console=ttyS0 loglevel=4 panic=-1 rdinit=/init -- quick",
        memory="1G", timeout=900, initramfs=initramfs,
        qemu_extra=["-icount", "shift=0,sleep=off",
                    "-plugin", plugin + ",out=" + out])
    known = load_known_failures(os.path.join(ROOT, "test", "bench",
                                             "known-failures.txt"))
    got = {(lc, name): (status, rest.strip())
           for name, lc, status, rest in BENCH_LINE.findall(log)}
    stops, init = {}, None
    if os.path.exists(out):
        for line in open(out):
            w = line.split()
            if w[:1] == ["stop"] and len(w) == 4:
                stops.setdefault(int(w[1]), []).append((int(w[2]), int(w[3])))
            elif w[:1] == ["init"]:
                init = int(w[1])
    tags = {}
    for libc, name in names:
        status, rest = got.get((libc, name), ("missing", "no result line"))
        full = "bench: %s/%s" % (libc, name)
        ok = status == "ok" or (status == "n/a" and re.search(
            r"ENOSYS|EAFNOSUPPORT|no ext4", rest) is not None)
        if "%s/%s" % (libc, name) in known:
            if ok:
                results.record(full, False, "runs now: remove it from "
                               "test/bench/known-failures.txt")
            else:
                results.known_failure(full, status + " " + rest)
            continue
        results.record(full, ok, status + " " + rest)
        m = re.search(r"tag=(\d+)", rest)
        if status == "ok" and m:
            tags.setdefault(int(m.group(1)), []).append(name)
    # User instructions for every loop; kernel instructions too, except
    # for calls the vDSO answers in user mode.
    vdso_benches = {"clock_gettime"}
    counted = sum(1 for tag, runs in tags.items() for k in range(len(runs))
                  if k < len(stops.get(tag, [])) and stops[tag][k][0] > 0
                  and (stops[tag][k][1] > 0 or runs[k] in vdso_benches))
    expected = sum(len(v) for v in tags.values())
    results.record("bench: plugin counted user and kernel instructions of "
                   "every measured loop", expected > 0 and counted == expected,
                   "%d of %d" % (counted, expected))
    results.record("bench: plugin saw /init's first instruction",
                   init is not None and init > 0)
    results.record("bench: runs to the end and powers off",
                   exited and "BENCH-DONE" in log and "BENCH-CRASH" not in log
                   and "Kernel panic" not in log)


def bench_alpine(results):
    """The apk_add workload (test/bench/apk.c) of the benchmarks' Alpine
    image: first on the host's Linux in a chroot of the unpacked image (in
    a private mount namespace), then booted in this kernel under -icount
    with the counting plugin.  Both must install the packages (ok); the
    plugin must have counted user and kernel instructions of the loop."""
    image = os.path.join(BUILD, "bench-alpine-initramfs.cpio")
    with tempfile.TemporaryDirectory(prefix="bench-alpine-host.") as tmp:
        with open(image, "rb") as f:
            subprocess.run(["cpio", "-id", "--quiet"], cwd=tmp, stdin=f,
                           check=True)
        proc = subprocess.run(
            ["unshare", "-m", "chroot", tmp, "/bin/sh", "-c",
             "mount -t proc proc /proc && mount -t devtmpfs devtmpfs /dev "
             "&& mount -t tmpfs tmpfs /tmp && /bench/musl/apk -q"],
            capture_output=True, text=True, timeout=600)
    host = {(lc, name): status + rest
            for name, lc, status, rest in BENCH_LINE.findall(proc.stdout)}
    results.record("bench-host: musl/apk_add (Alpine image, chroot)",
                   proc.returncode == 0 and
                   host.get(("musl", "apk_add"), "").startswith("ok"),
                   "exit %d: %s" % (proc.returncode,
                                    (proc.stdout + proc.stderr)[-300:]))
    out = os.path.join(LOGS, "bench-alpine.plugin")
    if os.path.exists(out):
        os.unlink(out)
    log, exited, secs = boot(
        "bench-alpine", "console=ttyS0 loglevel=4 panic=-1 rdinit=/init -- "
        "quick libc=musl", memory="1G", timeout=900, initramfs=image,
        qemu_extra=["-icount", "shift=0,sleep=off",
                    "-plugin", os.path.join(BUILD, "bench", "bench-plugin.so")
                    + ",out=" + out])
    got = {(lc, name): (status, rest.strip())
           for name, lc, status, rest in BENCH_LINE.findall(log)}
    status, rest = got.get(("musl", "apk_add"), ("missing", "no result line"))
    results.record("bench: musl/apk_add (Alpine image)", status == "ok",
                   status + " " + rest)
    stops = []
    if os.path.exists(out):
        stops = [line.split()[2:] for line in open(out)
                 if line.startswith("stop 26 ")]  # apk_add's id (bench.h)
    results.record("bench: plugin counted user and kernel instructions of "
                   "apk_add", len(stops) == 1 and
                   all(int(v) > 0 for v in stops[0]), repr(stops))
    results.record("bench: Alpine image runs to the end and powers off",
                   exited and "BENCH-DONE" in log and "BENCH-CRASH" not in log
                   and "Kernel panic" not in log)


def write_cpio(path, files):
    """A cpio newc archive of @files: (name, mode, data) in order."""
    out = bytearray()

    def entry(ino, name, mode, data):
        nm = name.encode() + b"\0"
        hdr = "070701" + "".join("%08x" % v for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nm), 0))
        out.extend(hdr.encode() + nm)
        out.extend(b"\0" * (-len(out) % 4))
        out.extend(data)
        out.extend(b"\0" * (-len(out) % 4))

    for ino, (name, mode, data) in enumerate(files, 1):
        entry(ino, name, mode, data)
    entry(0, "TRAILER!!!", 0, b"")
    with open(path, "wb") as f:
        f.write(out)


# Root file systems on ext4 disk images (build/<name>.img, made by
# scripts/mkdisk-rootfs.sh): group -> (image, memory, suites), a suite being
# (PREFIX, directory under the image's /tests and under test/, label).
DISK_ROOTS = [
    ("alpine-disk", "alpine-disk.img", "1G",
     [("ALPINE", "alpine-disk", "alpine-disk")]),
    ("debian-disk", "debian-disk.img", "2G",
     [("DEBIAN", "debian-disk", "debian-disk"), ("GCC", "gcc", "gcc")]),
]


def disk_root_host_oracle(results, group, image, suites):
    """The suites in a chroot of the very same image, loop-mounted
    read-only on the host's Linux: the expected outputs must hold there."""
    proc = subprocess.run(
        [os.path.join(ROOT, "test", "disk-root-oracle"), image] +
        ["%s:%s" % (prefix, suite) for prefix, suite, _ in suites],
        capture_output=True, text=True, timeout=1800)
    for prefix, suite, label in suites:
        seen = record_lines(results, label + "-host", prefix, proc.stdout)
        results.record("%s-host: suite ran" % label, seen > 0,
                       proc.stderr.strip()[-300:])


def boot_disk_root(results, group, image, memory, suites):
    """Boot with no init in the initramfs (an empty archive): the root is
    the ext4 image as a virtio-blk disk (root=/dev/vda rootfstype=ext4
    rootwait ro), init= the image's suite runner.  QEMU writes to a
    snapshot, so the cached image never changes."""
    empty = os.path.join(BUILD, "test-iso", "empty.cpio")
    os.makedirs(os.path.dirname(empty), exist_ok=True)
    write_cpio(empty, [])
    log, exited, secs = boot(
        group, "console=ttyS0 loglevel=4 panic=-1 root=/dev/vda "
        "rootfstype=ext4 rootwait ro init=/tests/%s/init" % suites[0][1],
        machine="q35", memory=memory, timeout=2400, initramfs=empty,
        qemu_extra=["-drive", "file=%s,format=raw,if=none,id=root,"
                    "snapshot=on" % image,
                    "-device", "virtio-blk-pci,drive=root,disable-legacy=on"])
    for prefix, suite, label in suites:
        check_user_suite(results, label, log, exited, prefix,
                         os.path.join(ROOT, "test", suite,
                                      "known-failures.txt"))


def run_disk_roots(results, selected):
    for group, name, memory, suites in DISK_ROOTS:
        labels = [group] + [label for _, _, label in suites]
        image = os.path.join(BUILD, name)
        if any(selected(l + "-host") for l in labels):
            disk_root_host_oracle(results, group, image, suites)
        if any(selected(l) for l in labels):
            boot_disk_root(results, group, image, memory, suites)
    if selected("alpine-disk-rw-host"):
        disk_rw_host_oracle(results)
    if selected("alpine-disk-rw"):
        boot_disk_rw(results)


# The read-write Alpine disk root (group alpine-disk-rw): the suite in
# test/alpine-disk-rw runs on a fresh copy of build/alpine-disk-rw.img
# (apk add onto the disk, the toolchain it installed, files that must
# survive sync); afterwards the host checks the copy with e2fsck and
# debugfs, without mounting it.
DISK_RW_IMAGE = os.path.join(BUILD, "alpine-disk-rw.img")
DISK_RW_DIR = os.path.join(BUILD, "disk-rw")
DISK_RW_PACKAGES = ("openrc", "make", "binutils", "musl-dev")
# Files checked on the disk: path -> the package (.apk in the mirror)
# that holds it.
DISK_RW_FILES = {"usr/bin/make": "make-4.4.1-r2.apk",
                 "usr/bin/as": "binutils-2.41-r0.apk",
                 "usr/lib/libc.a": "musl-dev-1.2.4_git20230717-r4.apk",
                 "sbin/openrc": "openrc-0.52.1-r2.apk"}


def disk_rw_copy(name):
    """A fresh sparse copy of the cached image (the run writes to it)."""
    os.makedirs(DISK_RW_DIR, exist_ok=True)
    copy = os.path.join(DISK_RW_DIR, name)
    if os.path.exists(copy):
        os.unlink(copy)
    subprocess.run(["cp", "--sparse=always", DISK_RW_IMAGE, copy],
                   check=True)
    return copy


def debugfs(image, command):
    """Run one debugfs request on @image (opened read-only: debugfs
    without -w); returns (exit status, stdout bytes, stderr text)."""
    proc = subprocess.run(["debugfs", "-R", command, image],
                          capture_output=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr.decode(errors="replace")


def apk_member_size(apk, path):
    """The size of @path in a package file of the offline mirror (an .apk
    is gzip'd tar segments; the last one holds the files)."""
    import gzip
    import io
    import tarfile
    mirror = None
    for cand in (os.environ.get("ALPINE_DIR", ""),
                 os.path.join(ROOT, "..", "shared", "alpine"),
                 "/work/shared/alpine"):
        if cand and os.path.isdir(os.path.join(cand, "v3.19")):
            mirror = cand
            break
    if mirror is None:
        return None
    data = gzip.decompress(open(os.path.join(
        mirror, "v3.19", "main", "x86_64", apk), "rb").read())
    # The segments' tar streams are concatenated without end markers
    # between them: read headers one by one.
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:",
                      ignore_zeros=True) as tar:
        for member in tar:
            if member.name == path:
                return member.size
    return None


def disk_rw_verify(results, label, image, exited=True):
    """The host's view of a copy the suite ran on: e2fsck -fn clean, no
    journal left to replay, apk's database lists the packages, installed
    files hold what apk recorded (SHA-1) and the package's size, and the
    suite's own files are there."""
    import base64
    import hashlib
    fsck = subprocess.run(["e2fsck", "-fn", image], capture_output=True,
                          text=True, timeout=300)
    results.record("%s: e2fsck -fn clean" % label, fsck.returncode == 0,
                   "exit %d: %s" % (fsck.returncode,
                                    (fsck.stdout + fsck.stderr)[-600:]))
    head = subprocess.run(["dumpe2fs", "-h", image], capture_output=True,
                          text=True, timeout=60).stdout
    state = re.search(r"^Filesystem state:\s*(.*)$", head, re.M)
    features = re.search(r"^Filesystem features:\s*(.*)$", head, re.M)
    results.record("%s: file system clean, no journal to replay" % label,
                   state is not None and state.group(1).strip() == "clean"
                   and features is not None
                   and "needs_recovery" not in features.group(1),
                   "state %r, features %r" % (
                       state and state.group(1), features and
                       features.group(1)))
    rc, db, err = debugfs(image, "cat /lib/apk/db/installed")
    db = db.decode(errors="replace")
    installed = re.findall(r"^P:(.*)$", db, re.M)
    results.record("%s: /lib/apk/db/installed lists %s" % (
        label, " ".join(DISK_RW_PACKAGES)),
        all(p in installed for p in DISK_RW_PACKAGES)
        and len(installed) == 25,
        "%d packages: %s %s" % (len(installed), " ".join(installed),
                                err.strip()[-200:]))
    # Z:Q1<base64 SHA-1> after the R: line of each file, F: its folder.
    sums, folder, path = {}, "", None
    for line in db.splitlines():
        if line.startswith("F:"):
            folder = line[2:]
        elif line.startswith("R:"):
            path = folder + "/" + line[2:]
        elif line.startswith("Z:Q1") and path:
            sums[path] = line[4:]
    with tempfile.TemporaryDirectory(prefix="disk-rw.") as tmp:
        def dump(path):
            out = os.path.join(tmp, "f")
            if os.path.exists(out):
                os.unlink(out)
            rc, _, err = debugfs(image, "dump /%s %s" % (path, out))
            if not os.path.exists(out) or "not found" in err:
                return None
            return open(out, "rb").read()

        for path, apk in DISK_RW_FILES.items():
            data = dump(path)
            size = apk_member_size(apk, path)
            got = None if data is None else base64.b64encode(
                hashlib.sha1(data).digest()).decode()
            results.record("%s: /%s as apk installed it" % (label, path),
                           data is not None and got == sums.get(path)
                           and len(data) == size,
                           "%s bytes (package: %s), SHA-1 %s (apk: %s)" % (
                               None if data is None else len(data), size,
                               got, sums.get(path)))
        big = b"".join(b"%05d line of the persist file\n" % i
                       for i in range(1, 10001))[:307200]
        files = {"root/persist/big": big, "root/persist/name": b"new\n",
                 "root/persist/gone": None,
                 "root/persist/name.tmp": None}
        for path, want in files.items():
            data = dump(path)
            results.record("%s: /%s %s" % (
                label, path, "written" if want else "absent"),
                data == want, "%r" % (data[:40] if data else data))
        data = dump("root/tc/raw")
        results.record("%s: /root/tc/raw linked on disk" % label,
                       data is not None and data[:4] == b"\x7fELF",
                       repr(data[:8] if data else data))


def disk_rw_host_oracle(results):
    """The suite on the host's Linux in a chroot of a fresh copy of the
    image loop-mounted read-write; then the same host-side checks."""
    copy = disk_rw_copy("host.img")
    proc = subprocess.run(
        [os.path.join(ROOT, "test", "disk-root-oracle"), copy,
         "ALPINE_RW:alpine-disk-rw"], env=dict(os.environ, RW="1"),
        capture_output=True, text=True, timeout=900)
    seen = record_lines(results, "alpine-disk-rw-host", "ALPINE_RW",
                        proc.stdout)
    results.record("alpine-disk-rw-host: suite ran", seen > 0,
                   proc.stderr.strip()[-300:])
    disk_rw_verify(results, "alpine-disk-rw-host", copy)
    # The second boot's suite, on the copy mounted read-only.
    disk_root_host_oracle(results, "alpine-disk-rw", copy, DISK_RW_AGAIN)


# The second boot of the copy (read-only): reads back what the first wrote.
DISK_RW_AGAIN = [("ALPINE_RW_AGAIN", "alpine-disk-rw-again",
                  "alpine-disk-rw-again")]


def boot_disk_rw(results):
    """Boot with root=/dev/vda rw on a fresh copy of the image (no
    snapshot: the writes must reach the disk); the image's init runs the
    suite, remounts / read-only and powers off; then the host checks the
    copy."""
    copy = disk_rw_copy("guest.img")
    empty = os.path.join(BUILD, "test-iso", "empty.cpio")
    os.makedirs(os.path.dirname(empty), exist_ok=True)
    write_cpio(empty, [])
    log, exited, secs = boot(
        "alpine-disk-rw", "console=ttyS0 loglevel=4 panic=-1 root=/dev/vda "
        "rootfstype=ext4 rootwait rw init=/tests/alpine-disk-rw/init",
        machine="q35", memory="1G", timeout=1800, initramfs=empty,
        qemu_extra=["-drive", "file=%s,format=raw,if=none,id=root" % copy,
                    "-device", "virtio-blk-pci,drive=root,disable-legacy=on"])
    check_user_suite(results, "alpine-disk-rw", log, exited, "ALPINE_RW",
                     os.path.join(ROOT, "test", "alpine-disk-rw",
                                  "known-failures.txt"))
    results.record("alpine-disk-rw: init reported the remount read-only",
                   re.search(r"^ALPINE_RW remount-ro: ", log, re.M)
                   is not None)
    if not exited:
        results.record("alpine-disk-rw: host checks of the disk", False,
                       "the guest did not power off (%.0f s)" % secs)
        return
    disk_rw_verify(results, "alpine-disk-rw", copy)
    # Boot the written copy again, read-only (QEMU writes to a snapshot):
    # this kernel reads back what it wrote.
    boot_disk_root(results, "alpine-disk-rw-again", copy, "1G",
                   DISK_RW_AGAIN)


DISK_DIR = os.path.join(BUILD, "disk")
DISKTEST = os.path.join(DISK_DIR, "disktest")


def disk_results(results, label, text):
    """One result per DISK line of disktest's output (names have spaces),
    and one for its summary line."""
    seen = record_lines(results, label, "DISK", text, name=".+")
    done = re.search(r"^DISK summary: \d+ passed, \d+ failed", text, re.M)
    results.record("%s: disktest ran to the end" % label,
                   seen > 0 and done is not None)


def disk_images():
    """Fresh images (A: GPT, B: MBR with logical partitions, C: none,
    read-only), their spec and filled pattern: test/disk/mkimages.py."""
    sys.path.insert(0, os.path.join(ROOT, "test", "disk"))
    import mkimages
    return mkimages.make(os.path.join(DISK_DIR, "images"), DISKTEST)


def disk_copies(images, where):
    os.makedirs(where, exist_ok=True)
    copies = {}
    for disk_id, image in images.items():
        copies[disk_id] = os.path.join(where, os.path.basename(image))
        shutil.copyfile(image, copies[disk_id])
    return copies


def disk_verify(results, label, spec, copies):
    proc = subprocess.run([DISKTEST, "verify", spec] +
                          ["%s=%s" % kv for kv in copies.items()],
                          capture_output=True, text=True, timeout=120)
    disk_results(results, label + " (image after power off)", proc.stdout)


def disk_host_oracle(results, spec, images):
    """disktest on the host's Linux over loop devices of the same images
    (as root; D with 4096-byte sectors): sizes, ioctls, reads past the
    end, errors, writes.  The
    host kernel may lack partition table support, so partitions are
    reached through the whole disk there and their numbering is checked
    against sfdisk's reading only (the spec)."""
    copies = disk_copies(images, os.path.join(DISK_DIR, "host"))
    loops = []
    try:
        for disk_id in sorted(copies):
            ro = {"C": ["-r"], "D": ["--sector-size", "4096"]}.get(
                disk_id, [])
            proc = subprocess.run(["losetup", "-f", "--show"] + ro +
                                  [copies[disk_id]], capture_output=True,
                                  text=True)
            if proc.returncode != 0:
                results.record("disk-host: loop devices", False,
                               proc.stderr.strip())
                return
            loops.append((disk_id, proc.stdout.strip()))
        proc = subprocess.run([DISKTEST, "check", spec] +
                              ["%s=%s" % (i, os.path.basename(l))
                               for i, l in loops] + ["--host"],
                              capture_output=True, text=True, timeout=300)
        disk_results(results, "disk-host", proc.stdout)
    finally:
        for _, loop in loops:
            subprocess.run(["losetup", "-d", loop])
    disk_verify(results, "disk-host", spec, copies)


def boot_disk(results, label, machine, spec, images, msix, plain=False,
              transitional=False):
    """disktest as /init with the four images as modern-only virtio-blk
    disks (vda, vdb, vdc read-only, vdd with 4096-byte blocks); MSI-X, or
    INTx with vectors=0; @plain: without the event index and indirect
    descriptors (each request takes ring descriptors of its own);
    @transitional: QEMU's default transitional devices (legacy and modern
    interfaces, the type in the subsystem id), driven through the modern
    one.  The host then checks the images for the writes."""
    copies = disk_copies(images, os.path.join(DISK_DIR, label))
    initramfs = os.path.join(DISK_DIR, label + ".cpio")
    with open(DISKTEST, "rb") as f:
        prog = f.read()
    with open(spec, "rb") as f:
        spec_data = f.read()
    write_cpio(initramfs, [("dev", 0o40755, b""), ("proc", 0o40555, b""),
                           ("init", 0o100755, prog),
                           ("disk.spec", 0o100644, spec_data)])
    # virtio-rng too: a second virtio device type on the same transport.
    modern = "" if transitional else ",disable-legacy=on"
    extra = ["-boot", "d", "-device", "virtio-rng-pci%s%s"
             % (modern, "" if msix else ",vectors=0")]
    for disk_id in sorted(copies):
        ro = ",readonly=on" if disk_id == "C" else ""
        bs = (",logical_block_size=4096,physical_block_size=4096"
              if disk_id == "D" else "")
        if plain:
            bs += ",event_idx=off,indirect_desc=off"
        extra += ["-drive", "file=%s,format=raw,if=none,id=d%s%s" %
                  (copies[disk_id], disk_id, ro),
                  "-device", "virtio-blk-pci,drive=d%s%s%s%s"
                  % (disk_id, modern, "" if msix else ",vectors=0", bs)]
    log, exited, secs = boot(
        label, "console=ttyS0 loglevel=7 panic=-1 rdinit=/init -- check "
        "/disk.spec A=vda B=vdb C=vdc D=vdd --guest", machine=machine,
        timeout=600, initramfs=initramfs, qemu_extra=extra)
    disk_results(results, label, log)
    mode = r"\d+ MSI-X interrupts" if msix else r"INTx pin A on IRQ \d+"
    results.record("%s: virtio-blk uses %s" % (label, "MSI-X" if msix else
                                              "INTx"),
                   len(re.findall(r"pci \S+: " + mode, log)) == 5)
    feats = re.findall(r"virtio_blk: vd.: .*queue \d+(.*)", log)
    want = "" if plain else ", event idx, indirect"
    results.record("%s: virtio-blk negotiated '%s'" % (label, want.strip(", ")
                                                       or "neither event idx "
                                                       "nor indirect"),
                   len(feats) == 4 and all(f == want for f in feats),
                   repr(feats))
    results.record("%s: virtio-rng seeds the random pool" % label,
                   re.search(r"virtio_rng: mixed 64 bytes", log) is not None)
    results.record("%s: powers off at the end" % label,
                   exited and "Kernel panic" not in log)
    disk_verify(results, label, spec, copies)


def run_disk(results, selected):
    spec, images = disk_images()
    if selected("disk-host"):
        disk_host_oracle(results, spec, images)
    for label, machine, msix, plain, transitional in (
            ("disk-q35-msix", "q35", True, False, False),
            ("disk-pc-intx", "pc", False, False, True),
            ("disk-q35-intx", "q35", False, True, False),
            ("disk-pc-msix", "pc", True, True, False)):
        if selected(label):
            boot_disk(results, label, machine, spec, images, msix, plain,
                      transitional)


EXT4_DIR = os.path.join(BUILD, "ext4-qemu")
EXT4_WALK = os.path.join(EXT4_DIR, "ext4walk")
# (device, image of build/ext4-img, type to mount it as)
EXT4_DISKS = [("vda", "ext4_htree", "ext4"), ("vdb", "ext2", "ext2"),
              ("vdc", "ext4_inline", "ext4"), ("vdd", "ext4_frag", "ext4"),
              ("vde", "ext3", "ext3"), ("vdf", "ext2_1k", "ext4"),
              ("vdg", "ext4_1k_htree2", "ext4"),
              ("vdh", "ext4_tea_unsigned", "ext4")]


def ext4_image(name):
    return os.path.join(BUILD, "ext4-img", name + ".img")


def ext4_lines(text):
    return [l for l in text.splitlines() if l.startswith("E4 ")
            and l != "E4 done"]


def ext4_checks(results, label, text):
    for m in re.finditer(r"^E4CHECK (.+): (PASS|FAIL)(.*)$", text, re.M):
        if m.group(1) != "summary":
            results.record("%s: %s" % (label, m.group(1)),
                           m.group(2) == "PASS", m.group(3).strip())


def ext4_host_oracle(results):
    """ext4walk on the host's Linux over each image mounted read-only
    through a loop device: the listings the guest must reproduce."""
    lines = []
    for dev, name, _ in EXT4_DISKS:
        mnt = tempfile.mkdtemp(prefix="ext4-host.")
        try:
            r = subprocess.run(["mount", "-o", "loop,ro", ext4_image(name),
                                mnt], capture_output=True, text=True)
            if r.returncode != 0:
                results.record("ext4-host: loop mount of %s" % name, False,
                               r.stderr.strip())
                return None
            try:
                proc = subprocess.run([EXT4_WALK, "--host", dev, mnt],
                                      capture_output=True, text=True,
                                      timeout=300)
            finally:
                subprocess.run(["umount", mnt])
        finally:
            os.rmdir(mnt)
        ext4_checks(results, "ext4-host", proc.stdout)
        results.record("ext4-host: walk of %s ran to the end" % name,
                       "E4 done" in proc.stdout.splitlines())
        lines += ext4_lines(proc.stdout)
    return lines


def boot_ext4(results, host_lines):
    """ext4walk as /init: mounts copies of the images (virtio-blk vda..)
    read-only (MS_RDONLY), walks them, checks EROFS and cookies; the listings
    must equal the host's line for line; the images stay unchanged."""
    os.makedirs(EXT4_DIR, exist_ok=True)
    initramfs = os.path.join(EXT4_DIR, "ext4.cpio")
    with open(EXT4_WALK, "rb") as f:
        prog = f.read()
    write_cpio(initramfs, [("dev", 0o40755, b""), ("proc", 0o40555, b""),
                           ("mnt", 0o40755, b""), ("init", 0o100755, prog)])
    extra, args, copies = [], [], []
    for dev, name, fstype in EXT4_DISKS:
        disk = os.path.join(EXT4_DIR, name + ".img")
        shutil.copyfile(ext4_image(name), disk)
        copies.append((name, disk))
        extra += ["-drive", "file=%s,format=raw,if=none,id=%s" % (disk, dev),
                  "-device", "virtio-blk-pci,drive=%s,disable-legacy=on" % dev]
        args.append("/dev/%s:%s" % (dev, fstype))
    log, exited, secs = boot(
        "ext4", "console=ttyS0 loglevel=7 panic=-1 rdinit=/init -- "
        "--guest " + " ".join(args), machine="q35", timeout=900,
        initramfs=initramfs, qemu_extra=extra)
    ext4_checks(results, "ext4", log)
    lines = ext4_lines(log)
    results.record("ext4: walk ran to the end", "E4 done" in log.splitlines())
    if host_lines is not None:
        hs, gs = set(host_lines), set(lines)
        missing = [l for l in host_lines if l not in gs]
        extra_l = [l for l in lines if l not in hs]
        results.record("ext4: %d listing lines of %d images equal the host's"
                       % (len(host_lines), len(EXT4_DISKS)),
                       not missing and not extra_l,
                       "host only: %s; ours only: %s" %
                       (missing[:3], extra_l[:3]))
    for name, disk in copies:
        with open(ext4_image(name), "rb") as a, open(disk, "rb") as b:
            results.record("ext4: image %s unchanged" % name,
                           a.read() == b.read())
    results.record("ext4: powers off at the end",
                   exited and "Kernel panic" not in log)


# ---- read-write ext4: the ext4-stress and ext4-crash groups (test/ext4rw) ----
# Both boot a BusyBox initramfs whose test step (test/ext4rw/rc.test) mounts
# /dev/vda read-write and runs test/ext4rw/ext4rw; the host then checks the
# image without mounting it (test/ext4rw/hostcheck.py).
# EXT4RW_KERNEL=linux boots Debian's Linux cloud kernel (the oracle; fetched
# into build/bench/linux/ as scripts/bench does) with the same initramfs and
# images instead of this kernel.  Parameters (environment):
#   EXT4RW_FILES (3000), EXT4RW_BIGDIR (20000), EXT4RW_BIGMIB (1024),
#   EXT4RW_ROUNDS (20), EXT4RW_MAXDELAY (seconds, 20), EXT4RW_SEED (random),
#   EXT4RW_MEMORY (guest memory, 1G: less than the big file).
EXT4RW_DIR = os.path.join(BUILD, "ext4rw")
EXT4RW_MEMORY = os.environ.get("EXT4RW_MEMORY", "1G")
EXT4RW_LOGDISK = 8 << 20


def ext4rw_param(name, default):
    return int(os.environ.get("EXT4RW_" + name, default))


def ext4rw_load_bench():
    """scripts/bench as a module (its Linux fetching and module tree)."""
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.SourceFileLoader(
        "bench", os.path.join(ROOT, "scripts", "bench"))
    spec = importlib.util.spec_from_loader("bench", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def ext4rw_setup():
    """(which, kernel image, initramfs): this kernel, or Linux when
    EXT4RW_KERNEL=linux (its virtio modules go into the initramfs)."""
    which = os.environ.get("EXT4RW_KERNEL", "ours")
    os.makedirs(EXT4RW_DIR, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ext4rw-tree.") as tree:
        os.makedirs(os.path.join(tree, "etc"))
        os.makedirs(os.path.join(tree, "ext4rw"))
        shutil.copy(os.path.join(ROOT, "test", "ext4rw", "rc.test"),
                    os.path.join(tree, "etc", "rc.test"))
        shutil.copy(os.path.join(EXT4RW_DIR, "ext4rw"),
                    os.path.join(tree, "ext4rw", "ext4rw"))
        kernel = os.path.join(BUILD, "kernel.elf")
        if which == "linux":
            bench = ext4rw_load_bench()
            os.makedirs(bench.BENCH, exist_ok=True)
            kernel, moddir, _ = bench.fetch_linux()
            subprocess.run(["cp", "-a", bench.linux_module_tree(moddir) + "/.",
                            tree], check=True)
        initramfs = os.path.join(EXT4RW_DIR, "initramfs-%s.cpio" % which)
        subprocess.run([os.path.join(ROOT, "scripts",
                                     "mkinitramfs-busybox.sh"),
                        initramfs, tree], check=True)
    return which, kernel, initramfs


def ext4rw_hostcheck():
    sys.path.insert(0, os.path.join(ROOT, "test", "ext4rw"))
    import hostcheck
    return hostcheck


def ext4rw_mkfs(image, mib):
    """A sparse image with mkfs.ext4's default features; returns whether
    they include the ones the tests are about."""
    if os.path.exists(image):
        os.unlink(image)
    with open(image, "wb") as f:
        f.truncate(mib << 20)
    subprocess.run(["mkfs.ext4", "-q", "-F", image], check=True)
    out = subprocess.run(["dumpe2fs", "-h", image], capture_output=True,
                         text=True).stdout
    m = re.search(r"^Filesystem features:\s+(.*)$", out, re.M)
    feats = set(m.group(1).split()) if m else set()
    want = {"has_journal", "dir_index", "extent", "64bit", "flex_bg",
            "metadata_csum"}
    return want <= feats, " ".join(sorted(feats))


def ext4rw_drives(disks):
    extra = []
    for i, path in enumerate(disks):
        extra += ["-drive", "file=%s,format=raw,if=none,id=x%d,cache=unsafe"
                  % (path, i),
                  "-device", "virtio-blk-pci,drive=x%d,disable-legacy=on" % i]
    return extra


def ext4rw_cmdline(args):
    return "console=ttyS0 loglevel=4 panic=-1 -- " + args


def ext4rw_boot(name, kernel, initramfs, args, disks, timeout):
    return boot(name, ext4rw_cmdline(args), machine="pc",
                memory=EXT4RW_MEMORY, timeout=timeout, initramfs=initramfs,
                kernel=kernel, qemu_extra=ext4rw_drives(disks))


def ext4rw_cleanup(results, label, failed_before, files):
    """Remove the images, or keep them for a look when a check failed."""
    if results.failed > failed_before:
        print("%s: kept %s" % (label, ", ".join(
            os.path.relpath(f, ROOT) for f in files)), flush=True)
        return
    for f in files:
        os.unlink(f)


def ext4_stress(results):
    """mkfs.ext4, the stress workload in the guest (ext4rw stress), then on
    the host: e2fsck -fn clean and the image's manifest (debugfs, no mount)
    equal to the one the guest printed."""
    hc = ext4rw_hostcheck()
    which, kernel, initramfs = ext4rw_setup()
    label = "ext4-stress" + ("-linux" if which == "linux" else "")
    failed_before = results.failed
    files = ext4rw_param("FILES", 3000)
    bigdir = ext4rw_param("BIGDIR", 20000)
    bigmib = ext4rw_param("BIGMIB", 1024)
    image = os.path.join(EXT4RW_DIR, "stress-%s.img" % which)
    ok, feats = ext4rw_mkfs(image, bigmib + 1024)
    results.record("%s: mkfs.ext4 image has the default features "
                   "(journal, htree, extents, 64bit, flex_bg, metadata_csum)"
                   % label, ok, feats)
    args = "stress files=%d bigdir=%d bigmib=%d seed=%d" % (
        files, bigdir, bigmib, ext4rw_param("SEED", 1))
    log, exited, secs = ext4rw_boot(label, kernel, initramfs, args, [image],
                                    timeout=1200)
    print("%s: guest run took %.0f s (%s)" % (label, secs, args), flush=True)
    seen = record_lines(results, label, "EXT4RW", log, name=r"[^:]+")
    results.record("%s: guest checks ran" % label, seen >= 6,
                   "%d check lines; see %s" % (seen, os.path.relpath(
                       os.path.join(LOGS, label + ".log"), ROOT)))
    results.record("%s: powers off at the end" % label,
                   exited and "Kernel panic" not in log)
    start = time.monotonic()
    ok, why, notes = hc.e2fsck_clean(image)
    results.record("%s: e2fsck -fn clean" % label, ok, why)
    if notes:
        print("%s: e2fsck notes (not errors): %d like '%s'" % (
            label, len(notes), notes[0]), flush=True)
    guest, complete = hc.guest_manifest(log)
    results.record("%s: guest manifest arrived whole (%d lines)"
                   % (label, len(guest)), complete and len(guest) > bigdir)
    try:
        host = hc.image_manifest(image)
        n, sample = hc.manifest_diff(guest, host)
        results.record("%s: image manifest (debugfs) equals the guest's: "
                       "paths, types, modes, sizes, links, CRC-32" % label,
                       n == 0 and len(host) > 0,
                       "%d lines differ: %s" % (n, " | ".join(sample)))
    except (RuntimeError, OSError) as e:
        results.record("%s: image manifest (debugfs) equals the guest's: "
                       "paths, types, modes, sizes, links, CRC-32" % label,
                       False, str(e))
    print("%s: host checks took %.0f s" % (label, time.monotonic() - start),
          flush=True)
    ext4rw_cleanup(results, label, failed_before, [image])


def ext4rw_kill_boot(name, kernel, initramfs, args, disks, rng, maxdelay,
                     early):
    """Boot the crash writer and SIGKILL QEMU at a random moment: a delay
    in [0, maxdelay) after the writer says it runs, or (@early, a fraction)
    at a random point of the boot before that (during the mount and its
    journal replay, say).  Returns (log, seconds until the kill, seconds
    until the writer ran or None)."""
    os.makedirs(LOGS, exist_ok=True)
    iso = make_iso(name, ext4rw_cmdline(args), initramfs, kernel)
    logfile = os.path.join(LOGS, name + ".log")
    if os.path.exists(logfile):
        os.unlink(logfile)
    start = time.monotonic()
    proc = subprocess.Popen(qemu_command(iso, "bios", "pc", EXT4RW_MEMORY,
                                         logfile, ext4rw_drives(disks)),
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = start + early if early is not None else None
    delay = rng.uniform(0, maxdelay)
    running = None
    while proc.poll() is None:
        now = time.monotonic()
        if running is None and os.path.exists(logfile):
            with open(logfile, errors="replace") as f:
                if "WRITER-RUNNING" in f.read():
                    running = now - start
                    if deadline is None:
                        deadline = now + delay
        if deadline is not None and now >= deadline:
            break
        if now - start > 600:
            break
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    log = ""
    if os.path.exists(logfile):     # not yet there after a very early kill
        with open(logfile, errors="replace") as f:
            log = f.read().replace("\r", "")
    return log, time.monotonic() - start, running


def ext4_crash(results):
    """Rounds of: boot the crash writer (ext4rw crash-write), SIGKILL QEMU
    at a random moment, boot ext4rw crash-verify (the mount replays the
    journal; every file fsync'ed before the kill must hold its contents),
    then e2fsck -fn on the host.  The same image goes through all rounds."""
    import random
    hc = ext4rw_hostcheck()
    which, kernel, initramfs = ext4rw_setup()
    label = "ext4-crash" + ("-linux" if which == "linux" else "")
    failed_before = results.failed
    rounds = ext4rw_param("ROUNDS", 20)
    maxdelay = ext4rw_param("MAXDELAY", 20)
    seed = ext4rw_param("SEED", random.randrange(1, 1 << 30))
    print("%s: seed %d, %d rounds (EXT4RW_SEED=%d repeats the workload and "
          "the kill delays)" % (label, seed, rounds, seed), flush=True)
    rng = random.Random(seed)
    image = os.path.join(EXT4RW_DIR, "crash-%s.img" % which)
    logdisk = os.path.join(EXT4RW_DIR, "crash-%s.log" % which)
    ok, feats = ext4rw_mkfs(image, 512)
    results.record("%s: mkfs.ext4 image has the default features" % label,
                   ok, feats)
    state = hc.CrashState()
    started, boot_secs, done, safe = time.monotonic(), None, 0, 0
    for rnd in range(rounds):
        name = "%s round %d" % (label, rnd)
        with open(logdisk, "wb") as f:
            f.truncate(EXT4RW_LOGDISK)
        # One round in five is killed during the boot, the mount (journal
        # replay of the last kill) or the removal of old rounds.
        early = rng.random() < 0.2
        early = (rng.uniform(boot_secs / 2, boot_secs) if early and boot_secs
                 else None)
        wseed = rng.randrange(1, 1 << 30)
        log, secs, run_secs = ext4rw_kill_boot(
            "%s-%d-write" % (label, rnd), kernel, initramfs,
            "crash-write round=%d seed=%d" % (rnd, wseed), [image, logdisk],
            rng, maxdelay, early)
        running = re.search(r"^WRITER-RUNNING", log, re.M) is not None
        steps = re.findall(r"^WRITER-STEP (\d+)", log, re.M)
        errors = re.findall(r"^EXT4RW-ERR (.*)$", log, re.M)
        with open(logdisk, "rb") as f:
            text = f.read().split(b"\0", 1)[0].decode(errors="replace")
        applied = state.fold_log(text)
        mount_ok = "EXT4RW mount read-write: FAIL" not in log and (
            running or early is not None)
        how = ("early" if early is not None else "while writing"
               if running else "QEMU ended before the writer ran")
        print("%s: writer killed after %.1f s (%s), %s steps, %d log "
              "records" % (name, secs, how, steps[-1] if steps else "0",
                           applied), flush=True)
        results.record("%s: writer mounts and runs without errors" % name,
                       mount_ok and not errors and "Kernel panic" not in log,
                       "; ".join(errors[:3]) or "no WRITER-RUNNING line")
        if run_secs is not None:
            boot_secs = run_secs
        expect = state.expectations()
        safe += len(re.findall(r"^F ", text, re.M))
        with open(logdisk, "wb") as f:
            f.truncate(EXT4RW_LOGDISK)
            f.write(expect.encode()[:EXT4RW_LOGDISK - 1])
        vlog, exited, vsecs = ext4rw_boot(
            "%s-%d-verify" % (label, rnd), kernel, initramfs, "crash-verify",
            [image, logdisk], timeout=600)
        state.fold_verify(vlog)
        seen = record_lines(results, name, "EXT4RW", vlog, name=r"[^:]+")
        print("%s: verify boot took %.0f s" % (name, vsecs), flush=True)
        m = re.search(r"^EXT4RW-VERIFIED (\d+) expectations", vlog, re.M)
        want = expect.count("\n")
        results.record("%s: verify checked all %d expectations" % (name, want),
                       m is not None and int(m.group(1)) == want,
                       "verified %s" % (m.group(1) if m else "none"))
        results.record("%s: verify boot ran and powered off" % name,
                       seen >= 4 and exited and
                       "Kernel panic" not in vlog)
        ok, why, notes = hc.e2fsck_clean(image)
        results.record("%s: e2fsck -fn clean after the replay" % name, ok, why)
        if notes:
            print("%s: e2fsck notes (not errors): %d like '%s'" % (
                name, len(notes), notes[0]), flush=True)
        done += 1
        if not ok or seen < 4 or re.search(r"^EXT4RW .*: FAIL", vlog, re.M):
            break
    print("%s: %d rounds took %.0f s" % (label, done,
                                         time.monotonic() - started))
    results.record("%s: the writers made files safe (%d fsync'ed files "
                   "logged)" % (label, safe), safe > 0)
    results.record("%s: all %d rounds ran" % (label, rounds), done == rounds,
                   "stopped after round %d, the first failing one"
                   % (done - 1))
    ext4rw_cleanup(results, label, failed_before, [image, logdisk])


def main():
    # Started from a background job, SIGINT and SIGQUIT may be ignored, and
    # ignored signals stay ignored across exec: the user-space suites (the
    # host oracles above all) must see Linux's defaults.
    import signal
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="", help="run only tests whose group "
                    "name contains this")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    results = Results(args.v)

    def selected(name):
        return args.k in name

    run_host_tests(results, selected)
    boots = [
        ("bios-pc", lambda: boot_ktests(results, "bios-pc", "bios", "pc")),
        ("bios-q35", lambda: boot_ktests(results, "bios-q35", "bios", "q35")),
        ("uefi-q35", lambda: boot_ktests(results, "uefi-q35", "uefi", "q35")),
        ("bios-pc-nohpet", lambda: boot_ktests(
            results, "bios-pc-nohpet", "bios", "pc,hpet=off")),
        ("bios-pc-4G", lambda: boot_ktests(
            results, "bios-pc-4G", "bios", "pc", memory="4G")),
        ("debug-kernel", lambda: boot_debug_kernel(results)),
        ("reboot-q35", lambda: boot_reboot(results, "reboot-q35", "q35",
                                           "ACPI reset register")),
        ("reboot-pc", lambda: boot_reboot(results, "reboot-pc", "pc",
                                          "keyboard controller")),
        ("boot-bios", lambda: boot_banner(results, "boot-bios", "bios", "pc")),
        ("root-missing", lambda: boot_root_missing(results)),
        ("boot-uefi", lambda: boot_banner(results, "boot-uefi", "uefi", "q35")),
        ("fault-page", lambda: boot_fault(
            results, "fault-page", "fault_page", "ktest_fault_write_unmapped",
            r"BUG: unable to handle page fault for address: ffffbf0000000000")),
        ("fault-ud", lambda: boot_fault(
            results, "fault-ud", "fault_ud", "ktest_fault_invalid_opcode",
            r"BUG: invalid opcode")),
        ("fault-stack-overflow", lambda: boot_fault(
            results, "fault-stack-overflow", "fault_stack_overflow",
            "ktest_recurse_forever", r"BUG: double fault")),
        ("fault-write-text", lambda: boot_fault(
            results, "fault-write-text", "fault_write_text",
            "ktest_write_to_text",
            r"#PF: write protection violation in kernel mode")),
        ("fault-exec-data", lambda: boot_fault(
            results, "fault-exec-data", "fault_exec_data",
            "ktest_fn_fault_exec_data",
            r"#PF: instruction fetch protection violation in kernel mode")),
        ("fault-null-read", lambda: boot_fault(
            results, "fault-null-read", "fault_null_read", "ktest_read_null",
            r"BUG: unable to handle page fault for address: 0000000000000008")),
        ("spinlock-recursion", lambda: boot_fault(
            results, "spinlock-recursion", "spinlock_recursion",
            "ktest_fn_spinlock_recursion", r"spinlock recursion on recursive")),
    ]
    for name, run in boots:
        if selected(name):
            run()
    if selected("busybox"):
        busybox_host_oracle(results)
        boot_busybox(results)
    if selected("shell"):
        boot_interactive_shell(results)
    for distro, memory in (("alpine", "1G"), ("debian", "2G")):
        if selected(distro):
            distro_host_oracle(results, distro)
            boot_distro(results, distro, memory)
    run_disk_roots(results, selected)
    if any(selected(n) for n in ("disk-host", "disk-q35-msix",
                                 "disk-pc-intx", "disk-q35-intx",
                                 "disk-pc-msix")):
        run_disk(results, selected)
    if selected("ext4"):
        host_lines = ext4_host_oracle(results)
        boot_ext4(results, host_lines)
    if selected("ext4-stress"):
        ext4_stress(results)
    if selected("ext4-crash"):
        ext4_crash(results)
    if selected("contract"):
        contract_host_oracle(results)
        boot_contract(results)
    if selected("contract-ext4"):
        contract_ext4(results)
    if selected("bench"):
        boot_bench(results, bench_host_sanity(results))
        bench_alpine(results)
    summary = "%d passed, %d failed" % (results.passed, results.failed)
    if results.skipped:
        summary += ", %d skipped" % results.skipped
    print(summary)
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
