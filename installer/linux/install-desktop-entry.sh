#!/bin/sh
# Add bvdesk to the desktop's application menu, running it from wherever this folder was
# unpacked. Installs for you (~/.local/share); with --system, for everyone (/usr/local/share).
# Remove again with --remove (and --system if it was installed that way).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
share=${XDG_DATA_HOME:-$HOME/.local/share}
remove=no
for arg in "$@"; do
    case $arg in
        --system) share=/usr/local/share ;;
        --remove) remove=yes ;;
        *) echo "usage: $0 [--system] [--remove]" >&2; exit 2 ;;
    esac
done
entry="$share/applications/bvdesk.desktop"
icon="$share/icons/hicolor/256x256/apps/bvdesk.png"
if [ "$remove" = yes ]; then
    rm -f "$entry" "$icon"
    echo "removed $entry and $icon"
    exit 0
fi
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/bvdesk.png" "$icon"
sed -e "s|^Exec=.*|Exec=\"$here/bvdesk\"|" "$here/bvdesk.desktop" > "$entry"
chmod 644 "$entry" "$icon"
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$share/applications" || true
fi
echo "installed $entry (runs $here/bvdesk)"
