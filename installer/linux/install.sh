#!/bin/sh
# Install IAPT Desktop for the current user (no root needed):
#   tar xzf iapt-desktop-*.tar.gz && cd iapt-desktop-* && ./install.sh
# Remove it again with:  ./install.sh --uninstall   (your data in ~/.local/share/IAPT Desktop is kept)
# Installs: the program, ~/.local/bin/iapt-desktop (the app and the command line), the menu entry, the icon,
# and the .iaptdb file type (so double-clicking a database opens it in IAPT Desktop).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="$HOME/.local/bin"
icons="$prefix/icons/hicolor"
mime="$prefix/mime"

refresh_desktop() {
    if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$mime" || true; fi
    if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database "$prefix/applications" || true; fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true; fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$prefix/iapt-desktop-app"
    rm -f "$bin/iapt-desktop" "$prefix/applications/iapt-desktop.desktop" "$mime/packages/iapt-desktop.xml" \
        "$icons/scalable/apps/iapt-desktop.svg"
    for size in 16 32 48 256; do rm -f "$icons/${size}x${size}/apps/iapt-desktop.png"; done
    mkdir -p "$mime/packages" "$prefix/applications"
    refresh_desktop
    echo "IAPT Desktop removed. Your data is still in $prefix/IAPT Desktop."
    exit 0
fi
mkdir -p "$bin" "$prefix/applications" "$mime/packages" "$icons/scalable/apps"
rm -rf "$prefix/iapt-desktop-app"
cp -r "$here/iapt-desktop" "$prefix/iapt-desktop-app"
ln -sf "$prefix/iapt-desktop-app/iapt-desktop" "$bin/iapt-desktop"
for size in 16 32 48 256; do
    mkdir -p "$icons/${size}x${size}/apps"
    cp "$here/iapt-desktop-$size.png" "$icons/${size}x${size}/apps/iapt-desktop.png"
done
cp "$here/iapt-desktop.svg" "$icons/scalable/apps/iapt-desktop.svg"
cp "$here/iapt-desktop-mime.xml" "$mime/packages/iapt-desktop.xml"
sed "s|^Exec=iapt-desktop|Exec=$bin/iapt-desktop|" "$here/iapt-desktop.desktop" > "$prefix/applications/iapt-desktop.desktop"
refresh_desktop
echo "IAPT Desktop installed. Start it from your applications menu, open a .iaptdb file, or run: $bin/iapt-desktop"
