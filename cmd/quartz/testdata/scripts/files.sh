# Files and directories in a private directory under /tmp.
umask 022
dir=$(mktemp -d /tmp/qscript.XXXXXX) || exit 1
trap 'cd /; rm -rf "$dir"' EXIT
cd "$dir" || exit 1
[ "$(pwd)" = "$dir" ] && echo "in the temp dir"
stat -c '%A %F' .

echo "== make a tree"
mkdir -p a/b/c a/d e
echo alpha > a/one.txt
echo beta > a/b/two.txt
printf 'gamma\ndelta\n' > a/b/c/three.txt
seq 1 100 > a/d/nums.dat
: > e/empty
touch a/b/touched
ln -s ../a/one.txt e/link
ln a/one.txt e/hard
find . | sort
echo "== find | sort | xargs"
find . -type f -name '*.txt' | sort | xargs wc -l
find . -type f | sort | xargs -n 2 echo pair
find . -name '*.txt' | sort | xargs -I{} sh -c 'echo "{}: $(wc -c < {})"'
find . -type d | sort | xargs
find . -type l | xargs readlink
find . -empty -type f | sort
find a -newer a/one.txt -name nothing-matches | wc -l
find . -type f -size +100c | sort
find . -maxdepth 1 | sort | tr '\n' ' '
echo
echo "== stat"
stat -c '%n %s %F' a/one.txt a/b/c/three.txt e/empty e/link | sort
stat -c '%h' a/one.txt
stat -L -c '%s %F' e/link
cat e/link e/hard
echo "== tests"
[ -d a ] && echo "a is a dir"
[ -f a/one.txt ] && echo "one is a file"
[ -L e/link ] && echo "link is a link"
[ -s e/empty ] || echo "empty is empty"
[ -e nothing ] || echo "nothing does not exist"
[ a/one.txt -ef e/hard ] && echo "hard link is the same file"
chmod 755 a/one.txt
[ -x a/one.txt ] && echo "executable after chmod"
stat -c '%a %A' a/one.txt
chmod 640 a/one.txt
stat -c '%a %A' a/one.txt
echo "== cp mv rm"
cp a/one.txt copy
cp -r a acopy
mv copy moved
ls
diff -r a acopy && echo "copies equal"
mv acopy/b acopy/bee
find acopy | sort
rm moved
rm -r acopy
ls
rmdir e 2>&1 | sed 's/^rmdir: //'
rm e/link
[ -e a/one.txt ] && echo "target survives removing the link"
echo "== truncate and dd"
seq 1 1000 > big
wc -c < big
truncate -s 100 big
wc -c < big
tail -c 8 big | od -An -c
truncate -s 5000 big
wc -c < big
dd if=big of=part bs=10 skip=2 count=3 2>/dev/null
cat part
echo
dd if=/dev/zero of=zeros bs=1k count=64 2>/dev/null
stat -c %s zeros
printf 'XYZ' | dd of=zeros bs=1 seek=10 conv=notrunc 2>/dev/null
od -An -c -N 16 zeros
echo "== appending from many writers"
for i in 1 2 3 4 5 6 7 8; do echo "w$i" >> log & done
wait
sort log | tr '\n' ' '
echo
echo "== fifo"
mkfifo fifo
stat -c %F fifo
(seq 1 3 > fifo) &
cat fifo
wait
echo "== md5 of a copy"
seq 1 5000 > src
cat src > dst
cmp src dst && echo "cmp equal"
md5sum src dst | awk '{print $1}' | uniq -c | awk '{print $1}'
echo "== cleanup"
cd /
rm -rf "$dir"
[ -e "$dir" ] || echo "temp dir removed"
