#!/usr/bin/env bash
# Set-up step for the sherpa_onnx_asr engine: fetches the sherpa-onnx C API and the ONNX Runtime it was built with
# from the npm registry (sherpa-onnx-linux-x64, Apache-2.0) and puts the two libraries in native/sherpa-onnx/.
# They stay in their own folder: sherpa's libonnxruntime.so (ORT 1.28.2) must not meet the server's ONNX Runtime.
# The server never downloads anything itself; run this once (CI runs it from .ci/run). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

version=1.13.8
target=native/sherpa-onnx
cache=${SHERPA_ONNX_CACHE:-.cache/npm-packs}
libraries=(libsherpa-onnx-c-api.so libonnxruntime.so)

if [ -f "$target/VERSION" ] && [ "$(cat "$target/VERSION")" = "$version" ] &&
   [ -f "$target/${libraries[0]}" ] && [ -f "$target/${libraries[1]}" ]; then
  echo "sherpa-onnx $version already in $target"
  exit 0
fi

command -v npm >/dev/null || { echo "npm is needed to fetch sherpa-onnx (Debian/Ubuntu: apt-get install npm)" >&2; exit 1; }
mkdir -p "$cache" "$target"
tarball="$cache/sherpa-onnx-linux-x64-$version.tgz"
if [ ! -f "$tarball" ]; then
  (cd "$cache" && npm pack --silent "sherpa-onnx-linux-x64@$version" >/dev/null)
fi
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
tar -xzf "$tarball" -C "$unpacked" "${libraries[@]/#/package/}"
for library in "${libraries[@]}"; do
  install -m 0755 "$unpacked/package/$library" "$target/$library"
done
echo "$version" > "$target/VERSION"
echo "sherpa-onnx $version: ${libraries[*]} in $target"
