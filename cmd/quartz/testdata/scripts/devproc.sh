# Device files and the process's view of itself in /proc.
umask 022

echo "== /dev"
for d in /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty; do
	[ -c $d ] && echo "$d is a character device"
done
stat -c '%n %t:%T %F' /dev/null /dev/zero /dev/full /dev/urandom
echo discarded > /dev/null; echo "write null: $?"
wc -c < /dev/null
head -c 100000 /dev/zero | wc -c
head -c 8 /dev/zero | od -An -tx1
head -c 4096 /dev/urandom | wc -c
dd if=/dev/urandom bs=1 count=0 2>/dev/null | wc -c
echo x > /dev/full 2>/dev/null; echo "write full: $?"
sh -c 'echo to-full > /dev/full' 2>&1 | sed 's/^.*: //'
[ -t 0 ] && echo "stdin is a terminal" || echo "stdin is not a terminal"
[ -t 1 ] && echo "stdout is a terminal" || echo "stdout is not a terminal"
echo "via /dev/stdout" >> /dev/stdout
echo "via /dev/stderr" >> /dev/stderr
echo "via /dev/fd/1" >> /dev/fd/1
echo "to /dev/fd/2" 2>&1 >>/dev/fd/2 | cat
[ -d /dev/fd ] && echo "/dev/fd is a directory"
[ -d /dev/shm ] && echo "/dev/shm is a directory"
readlink /dev/stdin
readlink /dev/fd

echo "== /proc/self"
[ -d /proc/self ] && echo "/proc/self is a directory"
readlink /proc/self/exe
readlink /proc/self/cwd
(cd /usr/share && readlink /proc/self/cwd)
ls /proc/self/fd | awk '$1 <= 2 || $1 == 7' | sort -n | tr '\n' ' '; echo
exec 7</dev/null
ls /proc/self/fd | awk '$1 <= 2 || $1 == 7' | sort -n | tr '\n' ' '; echo
readlink /proc/self/fd/7
exec 7<&-
tr '\0' ' ' < /proc/self/cmdline; echo
cat /proc/self/comm
awk '{ print $2, $3 }' /proc/self/stat
grep -E '^(Name|State):' /proc/self/status | tr -s ' \t' ' '
grep -c '^' /proc/self/maps | awk '{ print ($1 > 3) ? "maps has lines" : "maps short" }'
grep -q '\[stack\]' /proc/self/maps && echo "maps has the stack"
[ "$(cat /proc/self/stat | cut -d' ' -f1)" = "$(sh -c 'echo $$' )" ] && echo "pid matches (unexpected)" || echo "different processes"
sh -c 'read -r first rest < /proc/self/stat; [ "$first" = $$ ] && echo "stat pid is \$\$"'
env -i FOO=bar sh -c 'cat /proc/self/environ | tr "\0" "\n" | grep ^FOO'

echo "== /proc"
[ -r /proc/meminfo ] && grep -c '^MemTotal:' /proc/meminfo
[ -r /proc/cpuinfo ] && grep -q '^processor' /proc/cpuinfo && echo "cpuinfo lists processors"
[ -r /proc/uptime ] && awk '{ print ($1 > 0) ? "uptime positive" : "uptime zero" }' /proc/uptime
[ -r /proc/loadavg ] && awk '{ print NF }' /proc/loadavg
[ -d /proc/1 ] && echo "/proc/1 exists"
for d in /proc/[0-9]*; do echo "pid directories listed"; break; done
[ -f /proc/filesystems ] && grep -qw tmpfs /proc/filesystems && echo "tmpfs is a filesystem"
