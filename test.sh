#!/usr/bin/env bash
# Runs every Quartz test. Installs what the tests need first: compilers for
# the C guests (gcc, musl-gcc), busybox-static and tmux (the interactive
# shell test), from Debian's packages.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v gcc >/dev/null || need+=(gcc libc6-dev)
command -v musl-gcc >/dev/null || need+=(musl-tools)
[ -x /bin/busybox ] || command -v busybox >/dev/null || need+=(busybox-static)
command -v tmux >/dev/null || need+=(tmux)
if [ ${#need[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "installing ${need[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change: $unformatted"
	exit 1
fi
go vet ./...
go test -count=1 -timeout 15m ./...
