#!/usr/bin/env bash
# Builds nodeselector-go-contract, the Go (grpc-go) client that checks the daemon's contract.
#
# usage: Tests/go/build.sh BUILD_DIR
#
# Stubs are generated from proto/ into BUILD_DIR by protoc with protoc-gen-go and
# protoc-gen-go-grpc (never checked in), then the client is compiled in GOPATH mode against
# the Go libraries Debian installs under /usr/share/gocode: nothing is fetched, so no module
# proxy is needed. Prints the path of the built binary on its last line.
# Debian packages: golang-go protoc-gen-go protoc-gen-go-grpc golang-google-grpc-dev
# golang-github-golang-protobuf-1-5-dev golang-google-protobuf-dev (scripts/setup has them).
set -euo pipefail

if [[ $# -ne 1 || "$1" == -* ]]; then
  sed -n '4p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
proto_dir="$(cd "$here/../../proto" && pwd)"
build_dir="$(mkdir -p "$1" && cd "$1" && pwd)"
debian_gopath=/usr/share/gocode

missing=()
for tool in go protoc protoc-gen-go protoc-gen-go-grpc; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
for lib in google.golang.org/grpc google.golang.org/protobuf github.com/golang/protobuf; do
  [[ -d "$debian_gopath/src/$lib" ]] || missing+=("$debian_gopath/src/$lib")
done
if ((${#missing[@]} > 0)); then
  echo "build.sh: Go client toolchain missing: ${missing[*]}" >&2
  echo "build.sh: install the Debian packages golang-go protoc-gen-go protoc-gen-go-grpc" \
    "golang-google-grpc-dev golang-github-golang-protobuf-1-5-dev golang-google-protobuf-dev" \
    "(scripts/setup does)" >&2
  exit 3
fi

# GOPATH mode: our package and its generated stubs live in a private GOPATH entry that comes
# before Debian's, so imports resolve without go.mod and without any network.
package=nodeselector-go-contract
gopath="$build_dir/gopath"
src="$gopath/src/$package"
rm -rf "$src"
mkdir -p "$src"
cp "$here"/*.go "$src/"

# The .proto files carry no go_package option (they are shared by every language), so the
# Go import path of each file is given here with M options.
ns_proto=nodeselector/v1/nodeselector.proto
health_proto=grpc/health/v1/health.proto
mapping="M$ns_proto=$package/gen/nodeselectorpb,M$health_proto=$package/gen/healthpb"
protoc -I"$proto_dir" \
  --go_out="$gopath/src" --go_opt="$mapping" \
  --go-grpc_out="$gopath/src" --go-grpc_opt="$mapping" \
  "$ns_proto" "$health_proto"

export GOPATH="$gopath:$debian_gopath" GO111MODULE=off GOPROXY=off GOFLAGS= GOTOOLCHAIN=local
# Go's own build cache makes a rebuild fast; without a home directory it lives in BUILD_DIR.
GOCACHE="${GOCACHE:-$(go env GOCACHE 2>/dev/null || true)}"
[[ "$GOCACHE" == /* ]] || GOCACHE="$build_dir/go-cache"
export GOCACHE
binary="$build_dir/bin/$package"
go build -o "$binary" "$package"
echo "$binary"
