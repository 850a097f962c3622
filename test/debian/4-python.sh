# python3: threads, subprocess, select, sockets, fork, json, hashlib.
python3 - <<'PY'
import threading, subprocess, select, socket, os, json, hashlib, sys, queue
import concurrent.futures

total = 0
lock = threading.Lock()
def work(n):
    global total
    for _ in range(n):
        with lock:
            total += 1
ts = [threading.Thread(target=work, args=(2000,)) for _ in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print("threads", total)

cond = threading.Condition(); q = []
def producer():
    for i in range(5):
        with cond:
            q.append(i); cond.notify()
p = threading.Thread(target=producer); p.start()
got = []
while len(got) < 5:
    with cond:
        while not q: cond.wait()
        got.append(q.pop(0))
p.join(); print("condition", got)

with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
    print("pool", sorted(ex.map(lambda x: x * x, range(6))))

r = subprocess.run(["sh", "-c", "echo out; echo err >&2; exit 3"],
                   capture_output=True, text=True)
print("subprocess", r.returncode, r.stdout.strip(), r.stderr.strip())
print("pipeline", subprocess.check_output("seq 5 | tac | head -2", shell=True, text=True).split())
proc = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out, _ = proc.communicate(b"roundtrip"); print("communicate", out.decode(), proc.returncode)

rfd, wfd = os.pipe()
ready, _, _ = select.select([rfd], [], [], 0); print("select empty", ready == [])
os.write(wfd, b"x")
ready, _, _ = select.select([rfd], [], [], 1); print("select ready", ready == [rfd])
pl = select.poll(); pl.register(rfd, select.POLLIN); print("poll", pl.poll(1000) == [(rfd, select.POLLIN)])

a, b = socket.socketpair()
a.sendall(b"ping"); print("socketpair", b.recv(16).decode())
b.sendall(b"pong" * 1000); data = b""
while len(data) < 4000: data += a.recv(65536)
print("socketpair bulk", len(data))
a.close(); print("eof", b.recv(1) == b"")

pid = os.fork()
if pid == 0:
    os._exit(5)
_, st = os.waitpid(pid, 0); print("fork", os.WEXITSTATUS(st))

print("json", json.dumps({"b": [1, 2], "a": None}, sort_keys=True))
print("sha1", hashlib.sha1(b"abc").hexdigest())
qq = queue.Queue()
threading.Thread(target=lambda: qq.put(threading.get_ident() != threading.main_thread().ident)).start()
print("queue", qq.get(timeout=5))
print("version", sys.version_info[:2])
PY
