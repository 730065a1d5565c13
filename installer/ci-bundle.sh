#!/usr/bin/env bash
# CI step for the installer: build the Linux bundle, unpack its tarball outside the source tree
# and use bvdesk from there (version, self-test, demo + report to PDF, template + import of a
# workbook filled on the fly), then compile the NSIS installer script. Prints the bundle size
# and the build time.
#
# Needs: .venv with bvdesk and its test extra (`./dev test` makes it; PyInstaller from the
# installer extra is added here), and the Debian packages nsis and binutils (objdump, used by
# PyInstaller), plus the Qt runtime libraries the tests already need.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"
started=$(date +%s)

fail() { echo "ci-bundle: FAILED: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }

[ -x "$PY" ] || fail "$PY not found: create the venv first (./dev test)"
command -v makensis >/dev/null || fail "makensis not found: apt-get install -y nsis"
command -v objdump >/dev/null || fail "objdump not found: apt-get install -y binutils"

step "PyInstaller (the installer extra of pyproject.toml)"
requirements=$("$PY" -c 'import tomllib
with open("'"$ROOT"'/pyproject.toml", "rb") as f:
    print(" ".join(tomllib.load(f)["project"]["optional-dependencies"]["installer"]))')
# shellcheck disable=SC2086 # one argument per requirement
"$PY" -m pip install --quiet --disable-pip-version-check $requirements
"$PY" -m PyInstaller --version

step "Build: Linux bundle and NSIS installer script"
build_started=$(date +%s)
"$PY" "$ROOT/installer/build.py" linux-bundle nsis
build_seconds=$(( $(date +%s) - build_started ))
version=$("$PY" -c 'import sys; sys.path.insert(0, "'"$ROOT"'/installer"); import build
print(build.version())')
tarball=$(ls "$ROOT"/dist/bvdesk-"$version"-linux-*.tar.gz)
installer="$ROOT/dist/bvdesk-$version-windows-x64-installer-placeholder.exe"
[ "$(head -c 2 "$installer")" = "MZ" ] || fail "$installer is not a Windows executable"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tar -xzf "$tarball" -C "$scratch"
cd "$scratch"
# Only the bundle: no source tree on sys.path, no settings or data of the person running CI.
export BVDESK_HOME="$scratch/home"
unset PYTHONPATH BVDESK_DB
bvdesk="$scratch/bvdesk/bvdesk"
check() { "$PY" "$ROOT/installer/ci_checks.py" "$@" || exit 1; }

step "bvdesk --version (from the bundle)"
out=$("$bvdesk" --version)
echo "$out"
[ "$out" = "bvdesk $version" ] || fail "--version said '$out', expected 'bvdesk $version'"

step "bvdesk --self-test"
"$bvdesk" --self-test || fail "--self-test exited $?"

step "bvdesk demo, then report to a PDF"
"$bvdesk" demo --db demo.bvdesk
"$bvdesk" review list --json --db demo.bvdesk > reviews.json
review=$(check first-review reviews.json)
"$bvdesk" report "$review" --edition regulator -o report.pdf --db demo.bvdesk
check check-pdf report.pdf "Northvale Homes"

step "bvdesk template indicators, filled in, then import indicators"
"$bvdesk" template indicators -o template.xlsx
check fill-workbook template.xlsx filled.xlsx
"$bvdesk" import indicators filled.xlsx --json --db demo.bvdesk > import.json
check check-import import.json
echo "imported the filled-in workbook"

step "Figures"
bundle_mb=$(du -sm "$scratch/bvdesk" | cut -f1)
tarball_mb=$(( $(stat -c %s "$tarball") / 1000000 ))
echo "bundle: ${bundle_mb} MB unpacked, tarball $(basename "$tarball") ${tarball_mb} MB"
echo "build time (bundle + tarball + NSIS): ${build_seconds} s; whole step: $(( $(date +%s) - started )) s"
echo "ci-bundle: OK"
