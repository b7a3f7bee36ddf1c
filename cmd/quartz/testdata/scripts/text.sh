# Text tools: sed, awk, grep, cut, tr, wc, head, tail, sort, uniq.
umask 022
dir=$(mktemp -d /tmp/qscript.XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
cat > "$dir/inv" <<'EOF2'
apple,fruit,3,0.50
banana,fruit,12,0.25
carrot,vegetable,7,0.10
date,fruit,3,1.20
eggplant,vegetable,2,0.90
fig,fruit,12,0.75
garlic,vegetable,30,0.05
EOF2
inv=$dir/inv

echo "== sed"
sed -n '2,4p' "$inv"
sed 's/,.*//' "$inv" | tr '\n' ' '; echo
sed -e '/vegetable/d' -e 's/fruit/FRUIT/' "$inv"
sed -n '/banana/,/date/{=;p}' "$inv"
sed 's/\([a-z]*\),\([a-z]*\),.*/\2:\1/' "$inv" | head -n 3
sed -n '$p' "$inv"
sed '1!G;h;$!d' "$inv" | head -n 2
sed 'y/abc/ABC/' "$inv" | head -n 2
printf 'one\ntwo\nthree\n' | sed -n 'H;${x;s/\n/,/g;s/^,//;p}'
sed '3q' "$inv" | wc -l
cp "$inv" "$dir/edit"
sed -i 's/0\./0,/g' "$dir/edit"
head -n 2 "$dir/edit"
echo "== awk"
awk -F, '{ n[$2] += $3; v[$2] += $3 * $4 } END { for (k in n) printf "%s %d %.2f\n", k, n[k], v[k] }' "$inv" | sort
awk -F, 'NR % 2 == 1 { print NR, toupper($1), length($1) }' "$inv"
awk -F, '$3 > 5 && $2 == "fruit"' "$inv"
awk -F, 'BEGIN { OFS = "|" } { $2 = substr($2, 1, 3); print }' "$inv" | head -n 2
awk 'BEGIN { x = 2 * 512; printf "%d %x %o %5.1f|%-6s|%c\n", x, 255, 8, 3.14159, "ab", 65 }'
awk 'BEGIN { s = "a-b-c-d"; n = split(s, p, "-"); print n, p[1] p[4]; gsub(/-/, "+", s); print s; print index(s, "c"), match("xxabc", /ab/), RSTART, RLENGTH }'
awk -F, '{ a[NR] = $1 } END { for (i = NR; i > 0; i--) printf "%s%s", a[i], (i > 1 ? " " : "\n") }' "$inv"
seq 1 10 | awk '{ s += $1; ss += $1 * $1 } END { print s, ss, s / NR }'
awk 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) } BEGIN { print fact(10) }'
printf 'k1 v1\nk2 v2\n' | awk '{ print $2, $1 }' OFS='='
awk -v greeting=hi 'BEGIN { print greeting, ENVIRON["LANG"] }'
echo "== grep"
grep -c fruit "$inv"
grep -v fruit "$inv" | cut -d, -f1
grep -n '^[a-c]' "$inv"
grep -E '^(b|f)[a-z]+,' "$inv" | cut -d, -f1
grep -o '[0-9]*\.[0-9]*' "$inv" | sort -n | tail -n 2
grep -i APPLE "$inv"
grep -w 3 "$inv" | wc -l
grep -l fruit "$inv" /dev/null | sed "s|$dir/||"
grep -q nomatch "$inv"; echo "grep -q miss: $?"
grep nomatch /no/such/file 2>&1; echo "grep missing file: $?"
grep -e apple -e fig "$inv" | wc -l
grep -A1 carrot "$inv"
grep -B1 carrot "$inv"
echo "== cut and tr"
cut -d, -f1,3 "$inv" | head -n 3
cut -c1-3 "$inv" | tr '\n' ' '; echo
cut -d, -f2- "$inv" | tail -n 1
echo 'Hello, World' | tr '[:lower:]' '[:upper:]'
echo 'hello   spaced    out' | tr -s ' '
echo 'remove vowels please' | tr -d aeiou
echo 'abc123def' | tr -cd '0-9'; echo
echo 'rot13 text' | tr 'a-zA-Z' 'n-za-mN-ZA-M'
printf 'a\tb\tc\n' | tr '\t' ':'
echo "== wc head tail"
wc -l < "$inv"
wc -w < "$inv"
wc -c < "$inv"
printf 'one two\nthree\n' | wc
head -n 2 "$inv"
head -c 10 "$inv"; echo
tail -n 2 "$inv"
tail -n +6 "$inv"
seq 1 100 | tail -n 3 | head -n 1
seq 1 100 | head -n -97
echo "== sort and uniq"
cut -d, -f3 "$inv" | sort -n | tr '\n' ' '; echo
cut -d, -f3 "$inv" | sort | tr '\n' ' '; echo
cut -d, -f3 "$inv" | sort -nu | tr '\n' ' '; echo
cut -d, -f3 "$inv" | sort -rn | uniq -c
cut -d, -f2 "$inv" | sort | uniq -c
cut -d, -f2 "$inv" | sort | uniq -d
cut -d, -f3 "$inv" | sort -n | uniq -u | tr '\n' ' '; echo
sort -t, -k3,3n -k1,1r "$inv" | cut -d, -f1 | tr '\n' ' '; echo
sort -t, -k4 -g "$inv" | head -n 2
printf 'b\nA\na\nB\n' | sort
printf 'b\nA\na\nB\n' | sort -f
printf '10\n9\n100\n-1\n' | sort -n | tr '\n' ' '; echo
echo "== other tools"
printf 'x\ny\nz\n' | nl -ba
printf 'a\nb\nc\n' | tac | tr '\n' ' '; echo
printf 'a b\n' | rev
paste -d: "$inv" "$inv" | head -n 1
printf '1\n2\n3\n4\n' | paste - - 
echo "long text that wraps around at a narrow width" | fold -w 12
expr 3 + 4 \* 5
expr "abcdef" : 'abc\(.*\)'
basename /a/b/c.txt .txt
dirname /a/b/c.txt
printf 'hello\n' | od -An -tx1
printf 'data' | base64
printf 'ZGF0YQ==' | base64 -d; echo
printf 'abc' | sha256sum | cut -c1-16
