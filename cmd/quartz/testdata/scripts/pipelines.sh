# Long pipelines of applets, each stage reading what the one before wrote.
umask 022

echo "== numbers"
seq 1 200 | awk '$1 % 3 == 0' | grep -v 5 | sort -rn | head -n 12 | tr '\n' ' ' | sed 's/ $//'
echo

echo "== words"
printf '%s\n' the quick brown fox jumps over the lazy dog the end fox |
	tr a-z A-Z | sort | uniq -c | sort -k1,1nr -k2 | head -n 4 | awk '{printf "%s=%s\n", $2, $1}'

echo "== passwd-like"
cat <<'DATA' | grep -v '^#' | cut -d: -f1,3 | sort -t: -k2 -n | tail -n 3 | sed 's/:/ uid /' | tr a-z A-Z
# name:x:uid:gid:gecos:home:shell
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
alice:x:1000:1000:Alice:/home/alice:/bin/sh
bob:x:1001:1001:Bob:/home/bob:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
DATA

echo "== eight stages"
seq 1 1000 | sed -n '100,900p' | awk '{ print $1 * 7 % 101 }' | sort -n | uniq |
	tail -n 20 | head -n 10 | paste -sd+ | bc

echo "== big data through pipes"
seq 1 50000 | cat | cat | cat | awk '{ s += $1 } END { print s, NR }'
yes 'a line of text' | head -n 30000 | cat | wc -l
seq 1 20000 | sed 's/$/ some padding to make lines longer/' | md5sum | cut -c1-32
dd if=/dev/zero bs=4096 count=256 2>/dev/null | cat | wc -c

echo "== tee"
seq 1 5 | tee /dev/stderr | awk '{ s += $1 } END { print "sum", s }' 2>&1

echo "== exit status of a pipeline is the last command's"
false | true
echo "false|true: $?"
true | false
echo "true|false: $?"
seq 1 5 | grep -q 9
echo "grep miss: $?"
set -o pipefail
false | true
echo "pipefail false|true: $?"
set +o pipefail

echo "== pipe into a loop, loop into a pipe"
seq 1 6 | while read n; do echo "n$n"; done | sort -r | head -n 3
for w in pear apple fig; do echo $w; done | sort | tr '\n' ,
echo
{ echo one; echo two; echo three; } | wc -l
