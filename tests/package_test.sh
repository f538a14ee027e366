#!/usr/bin/env bash
# Builds the Debian packages with CPack, unpacks them into a temporary root (no dpkg -i, so no
# root needed) and runs both programs from there. Usage: package_test.sh CPACK BUILD_DIR SRC_DIR
set -euo pipefail
cpack="$1" build="$2" src="$3"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! (cd "$build" && "$cpack" -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1); then
    cat "$tmp/cpack.log"
    exit 1
fi
main=$(ls "$tmp"/out/nqkv-studio_*_*.deb)
echo "package: $(basename "$main"), $(du -h "$main" | cut -f1)"
depends=$(dpkg-deb -f "$main" Depends)
echo "Depends: $depends"
for need in libqt6widgets6 libqt6sql6 libqcustomplot2.1-qt6 libsentencepiece0 libqt6sql6-sqlite; do
    grep -q "$need" <<<"$depends" || { echo "Depends lacks $need" >&2; exit 1; }
done
if dpkg-deb -c "$main" | grep -q libnqkv_cuda; then
    echo "the CUDA module must be in its own package" >&2
    exit 1
fi
if grep -qi cuda <<<"$depends"; then
    echo "the main package must install without CUDA" >&2
    exit 1
fi

dpkg-deb -x "$main" "$tmp/root"
for cuda in "$tmp"/out/nqkv-studio-cuda_*.deb; do
    [ -e "$cuda" ] || continue
    dpkg-deb -f "$cuda" Depends | grep -q "nqkv-studio (= " || { echo "$cuda: no Depends on nqkv-studio" >&2; exit 1; }
    dpkg-deb -x "$cuda" "$tmp/root"
    [ -f "$tmp/root/usr/lib/nqkv/libnqkv_cuda.so" ] || { echo "$cuda: no module" >&2; exit 1; }
done

version=$("$tmp/root/usr/bin/nqkv" --version)
echo "$version"
[[ "$version" == "nqkv "* ]]
studio=$(QT_QPA_PLATFORM=offscreen "$tmp/root/usr/bin/nqkv-studio" --version)
echo "$studio"
[[ "$studio" == *"nqkv-studio"* ]]
# The bundled models are found under the unpacked prefix.
"$tmp/root/usr/bin/nqkv" info -m "$tmp/root/usr/share/nqkv-studio/models/policy.gguf" >/dev/null
for f in applications/io.nqkv.Studio.desktop metainfo/io.nqkv.Studio.metainfo.xml \
         icons/hicolor/scalable/apps/nqkv-studio.svg icons/hicolor/48x48/apps/nqkv-studio.png; do
    [ -f "$tmp/root/usr/share/$f" ] || { echo "missing /usr/share/$f" >&2; exit 1; }
done
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$tmp/root/usr/share/metainfo/io.nqkv.Studio.metainfo.xml"
fi
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$tmp/root/usr/share/applications/io.nqkv.Studio.desktop"
fi
echo "package test passed"
