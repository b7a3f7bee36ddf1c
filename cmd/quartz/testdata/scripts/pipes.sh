# Pipes and FIFOs: blocking, end of file, broken pipes, timeouts.
umask 022
dir=$(mktemp -d /tmp/qscript.XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT

echo "== a writer faster than its reader"
head -c 1000000 /dev/zero | (sleep 0.2; wc -c)
seq 1 100000 | (sleep 0.1; tail -n 1)
dd if=/dev/zero bs=65536 count=8 2>/dev/null | dd bs=512 2>/dev/null | wc -c

echo "== a reader faster than its writer"
(for i in 1 2 3; do echo "tick $i"; sleep 0.05; done) | cat
(sleep 0.2; echo late) | cat

echo "== end of file only when every writer is gone"
{ (sleep 0.2; echo from-second) & echo from-first; } | sort
{ echo a; sh -c 'echo b'; (echo c); } | wc -l

echo "== broken pipes"
set -o pipefail
yes | head -n 2
echo "yes|head with pipefail: $?"
seq 1 1000000 | head -n 1
echo "seq|head: $?"
set +o pipefail
(trap '' PIPE; yes | head -n 1; echo "status with SIGPIPE ignored: $?") 2>&1 | sed 's/(null)/X/'
sh -c 'trap "" PIPE; seq 1 100000 | true; echo "after ignored SIGPIPE"'

echo "== read with a timeout"
(sleep 1; echo late) | { read -t 0.2 x; echo "timed out: $? [$x]"; read x; echo "then: $x"; }
echo ready | { read -t 5 x; echo "in time: $? [$x]"; }
{ read -t 1 x; echo "closed input: $? [$x]"; } < /dev/null

echo "== timeout"
timeout 0.3 sleep 5
echo "timeout TERM: $?"
timeout -s KILL 0.3 sleep 5
echo "timeout KILL: $?"
timeout 5 sh -c 'exit 3'
echo "timeout passes status: $?"

echo "== FIFOs"
mkfifo "$dir/f"
stat -c %F "$dir/f"
(echo through-fifo > "$dir/f") &
read line < "$dir/f"
wait
echo "read: $line"
(seq 1 5 > "$dir/f") &
awk '{ s += $1 } END { print "fifo sum", s }' < "$dir/f"
wait
cat "$dir/f" > "$dir/out" &
r=$!
for i in 1 2 3; do echo "msg $i"; done > "$dir/f"
wait $r
cat "$dir/out"
exec 3<> "$dir/f"
echo "read-write end" >&3
read -r back <&3
exec 3>&-
echo "$back"

echo "== tee to several files"
seq 1 3 | tee "$dir/t1" "$dir/t2" | wc -l
cat "$dir/t1" "$dir/t2" | tr '\n' ' '
echo

echo "== many pipelines at once"
for i in 1 2 3 4 5 6; do
	seq 1 $((i * 1000)) | awk -v i=$i '{ s += $1 } END { print i, s }' > "$dir/p$i" &
done
wait
cat "$dir"/p* | sort -n
