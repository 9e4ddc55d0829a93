#!/bin/sh
# Add TrayHabit from this folder to your applications menu (for you only; no root needed), or take
# it out again with --remove. Your habits are not touched either way.
#   ./install-desktop-entry.sh            add the menu entry and the icon
#   ./install-desktop-entry.sh --remove   remove them
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
entry="$data/applications/trayhabit.desktop"
icon="$data/icons/hicolor/256x256/apps/trayhabit.png"

if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry" "$icon"
    echo "Removed the TrayHabit menu entry."
    exit 0
fi
if [ ! -x "$here/TrayHabit" ]; then
    echo "install-desktop-entry.sh: TrayHabit is not next to this script in $here" >&2
    exit 1
fi
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/trayhabit.png" "$icon"
# Exec needs the absolute path, quoted as the Desktop Entry spec wants (a path may hold spaces):
# inside quotes \ " ` $ take a backslash, and the string-value escapes then double every backslash.
escaped=$(printf '%s' "$here/TrayHabit" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g' -e 's/%/%%/g')
{
    sed -n '1p' "$here/trayhabit.desktop"
    printf 'Exec="%s"\n' "$escaped"
    sed -e '1d' -e '/^Exec=/d' "$here/trayhabit.desktop"
} > "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "Added TrayHabit to the applications menu ($entry)."
