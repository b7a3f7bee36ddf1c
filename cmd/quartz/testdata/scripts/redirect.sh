# Redirections and here-documents.
umask 022
dir=$(mktemp -d /tmp/qscript.XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1

echo "== > and >>"
echo first > f
echo second >> f
echo third >>f
cat f
echo replaced > f
cat f
: > empty
wc -c < empty

echo "== <"
printf 'x\ny\nz\n' > in
while read line; do echo "got $line"; done < in
tr a-z A-Z < in > out
cat out

echo "== 2>&1 and >&2"
ls /no/such/place 2>&1 | sed 's/^ls: //'
{ echo to-out; echo to-err >&2; } > both 2>&1
sort both
{ echo to-out; echo to-err >&2; } 2>err >out
echo "out: $(cat out) err: $(cat err)"
echo "stderr line" >&2
(echo from-subshell-err >&2) 2>/dev/null
echo "discarded stderr ok"
cat /no/such/file 2>/dev/null || echo "cat failed: $?"

echo "== descriptors"
exec 3> fd3
echo via-three >&3
echo more >&3
exec 3>&-
cat fd3
exec 4< fd3
read a <&4
read b <&4
exec 4<&-
echo "read: $a / $b"
exec 5<> rw
echo hello >&5
exec 5>&-
cat rw
{ echo swapped-to-err 1>&2; } 3>&1 1>&2 2>&3 | sed 's/^/piped: /'

echo "== noclobber"
set -C
echo x > f 2>/dev/null && echo "clobbered" || echo "noclobber refused"
echo x >| f && echo "forced"
set +C

echo "== here-documents"
name=world
cat <<EOT
hello $name
sum $((2 + 3))
cmd $(echo substituted)
escaped \$name and \`tick\`
EOT
cat <<'EOT'
hello $name
sum $((2 + 3))
cmd $(echo substituted)
EOT
cat <<"EOT"
double-quoted delimiter $name
EOT
	cat <<-EOT
	tabs stripped $name
		two tabs stripped
	EOT
tr a-z A-Z <<EOT | rev
pipe from $name
EOT
read x y <<EOT
alpha beta
EOT
echo "x=$x y=$y"
cat <<A; cat <<B
first doc
A
second doc
B
f() {
	cat <<EOT
inside function $1
EOT
}
f arg
cat > heredoc-file <<EOT
line one
line two $name
EOT
wc -l < heredoc-file
cat heredoc-file
