# System applets with deterministic output: date, mount, df, id, env.
date -u -d @0 '+%Y-%m-%d %H:%M:%S'
date -u -d @1700000000 '+%s'
mount | grep -q ' /proc ' && echo proc mounted
df /tmp | head -1 | awk '{print $1}'
id -u
env -i FOO=bar env
echo $((0x10 + 010))
basename /a/b/c.txt .txt; dirname /a/b/c.txt
test -d /tmp && echo tmp is a dir
