#!/bin/sh
# Add bvdesk to your desktop's application menu, run from wherever this folder was unpacked.
# As root it installs for everyone (/usr/local/share); otherwise for you (~/.local/share).
# Remove with: install-desktop-entry.sh --remove
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then share=/usr/local/share; else share=${XDG_DATA_HOME:-$HOME/.local/share}; fi
entry="$share/applications/bvdesk.desktop"
icon="$share/icons/hicolor/256x256/apps/bvdesk.png"
if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry" "$icon"
    echo "removed $entry and $icon"
    exit 0
fi
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/bvdesk.png" "$icon"
sed -e "s|^Exec=.*|Exec=\"$here/bvdesk\"|" "$here/bvdesk.desktop" > "$entry"
chmod 644 "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$share/applications" || true
echo "installed $entry (runs $here/bvdesk)"
